/**
 * What `vigil init` writes: every section with its default, explained. Kept parseable: a test
 * checks that this text loads to exactly the schema's defaults.
 */
export const DEFAULT_CONFIG_TEXT = `# Vigil configuration. Every key is optional; what is shown is the default.
# Secrets are never written here: use env:NAME to read a variable from the environment or from
# $VIGIL_HOME/service.env (NAME=value lines, chmod 600; the environment wins).
# Edit it with \`vigil config edit\` (validates before saving) and \`vigil watch add PATH\`;
# \`vigil doctor\` checks it. \`vigil reload\` (SIGHUP) applies most keys to a running daemon and
# names the ones that need \`vigil restart\` (server, github.webhooks/poll, notify, timezone, …).

# IANA time zone for days in the journal, quiet hours and schedules (default: the system's).
# timezone: Europe/Berlin

model:
  # anthropic (needs ANTHROPIC_API_KEY) or rules (no model; config rules below decide).
  # Left unset: anthropic when ANTHROPIC_API_KEY is set, else rules.
  # provider: anthropic
  name: claude-sonnet-5-5
  # A cheap model that first answers "anything worth doing?"; only a yes wakes the main model.
  # Idle wakes always ask it first (claude-haiku-5-5 when unset); set it to triage every wake.
  # triageModel: claude-haiku-5-5
  criticModel: claude-haiku-5-5
  maxTokens: 1024
  dailyTokenBudget: 2000000   # no more model calls today once spent

heartbeat:
  tickSeconds: 5          # a tick is cheap and never calls the model by itself
  idleWakeMinutes: 30     # ask "anything worth doing?" after this long with nothing happening; 0 = never
                          # (quiet answers back it off: 1 h, 2 h, then every 4 h until something happens)
  settleMs: 1500          # wait for a burst of events to settle into one wake
  maxSteps: 8             # tool-loop steps per turn
  quietHours: { start: "22:00", end: "07:00" }   # turns go on; notifications wait for one digest at the end; null = none

# Token budgets of each part of a prompt (about 4 characters a token); the rest waits for the next turn.
context:
  eventTokens: 4000       # the events part; a burst from one source folds into one line (list_changes shows it)
  maxEvents: 40           # lines of events per turn
  journalTokens: 1000     # the recent-journal part (summaries only)
  toolResultTokens: 2000  # one tool result as the model sees it; the whole output goes to the transcript
  dreamTokens: 12000      # the dream's journal input
  quarantineAfter: 3      # an event in this many failed turns in a row is set aside (vigil review lists it)

# Folders to watch for changes.
watch: []
#  - path: ~/code/app
#    ignore: ["**/node_modules/**", "**/.git/**"]
#    trust: untrusted     # file contents are outside text (pulls, downloads); trusted for your own notes

github:
  token: env:GITHUB_TOKEN
  apiBaseUrl: https://api.github.com
  webhooks:
    enabled: false
    secret: env:VIGIL_WEBHOOK_SECRET   # required when enabled
    path: /webhooks/github
  poll:
    enabled: false        # for laptops without a public URL
    intervalSeconds: 60
  subscriptions: []       # e.g. ["octo/app", "octo/app#42"]
  clones: {}              # local clones tasks may use for a followed repo, e.g. { "octo/app": ~/code/app }

notify:
  desktop: true
  desktopApprovals: true  # Approve/Deny buttons on the desktop's approval notification (Linux libnotify, macOS)
  maxPerHour: 20          # more in an hour are held back and journaled
  urgentPerNight: 3       # urgent notifications that still go out during quiet hours
  ntfy:
    server: https://ntfy.sh
    topic: ""             # set a topic to get phone pushes
    token: env:NTFY_TOKEN

tools:
  workspace: []           # roots the file tools and run_command are confined to
  policy: {}              # per tool: auto | critic | ask | deny, e.g. { run_command: critic, write_file: ask }
  sandbox:                # run_command under bubblewrap: only its workspace root writable, VIGIL_HOME and ~/.ssh, ~/.aws… hidden
    enabled: true         # without a usable sandbox run_command defaults to ask
    network: false        # commands get no network unless true

# Wake-ups on a schedule, in cron syntax.
schedules: []
#  - cron: "0 8 * * *"
#    prompt: "Morning: summarize the night for me"

dream:
  cron: "0 3 * * *"       # nightly memory consolidation
  minNewEntries: 20       # only when this many journal rows are new since the last dream
  timeoutSeconds: 600     # a dream still running then is killed; memory stays as it was

# Markdown files starting with <!-- MAGIC DOC: subject --> in a watched root are kept up to date.
magicDocs:
  enabled: true
  minIntervalHours: 24    # at most one refresh per document in this many hours

review:
  cron: "0 8 * * *"       # when the morning digest arrives as a notification
  # US$ per million tokens, for the cost estimate (cache writes at the 1-hour rate)
  prices:
    claude-sonnet-5-5: { input: 3, output: 15, cacheWrite: 6, cacheRead: 0.3 }
    claude-haiku-5-5: { input: 1, output: 5, cacheWrite: 2, cacheRead: 0.1 }
    claude-opus-5-5: { input: 5, output: 25, cacheWrite: 10, cacheRead: 0.5 }

# Coding tasks (start_task): each runs in a forked worker, in its own git worktree under VIGIL_HOME
# on a branch vigil/task-<id>; your checkout is never touched. Over a budget the worker is killed.
tasks:
  maxConcurrent: 1        # the rest wait in order
  maxSteps: 40            # model calls per task
  maxTokens: 400000       # all tokens of a task's model calls, cached ones included
  timeoutMinutes: 20
  retryInterrupted: 1     # a task cut off by a crash or stop starts over this many times

# Used by the rules provider (no model): matching events become tool calls.
rules: []
#  - when: { source: github, event: pull_request.review_requested }
#    do: notify

# What may be dropped after a while; null keeps it forever. Journal rows are never dropped.
retention:
  transcriptsDays: null   # past turns' transcripts (memory_search finds less once dropped)
  outboxDays: null        # files delivered to outbox/
  memoryVersions: null    # how many old memory versions to keep (vigil memory revert)

server:
  host: 127.0.0.1         # keep it on loopback unless you put a proxy in front
  port: 8750

# Your own commands on Vigil's events; the JSON comes on stdin. A before_tool hook that exits 2 vetoes the call.
hooks: []
#  - { on: "github.pull_request_review.*", run: "notify-send 'review on a PR'", timeoutSeconds: 10 }
#  - { on: "before_tool.run_command", run: "~/bin/vet-command" }

# MCP servers whose tools Vigil may use (as SERVER__TOOL; policy default ask; results are untrusted).
mcp:
  callTimeoutSeconds: 60  # a call that takes longer fails and its server is restarted
  servers: {}
#    linear: { command: npx, args: [-y, some-linear-mcp], env: { LINEAR_API_KEY: env:LINEAR_API_KEY } }
#    docs: { url: "http://127.0.0.1:9000/mcp" }
# The journal's head (seq and hash) is anchored outside VIGIL_HOME, so a truncated or rewritten
# journal no longer verifies: vigil log verify --anchors FILE.
journal:
  anchor:
    # file: ~/.local/state/vigil/anchors.jsonl   # default: your state dir (env-paths)
    cron: "0 0 * * *"     # when the daily anchor is written; also: vigil log anchor
    notify: false         # true: the morning review notification carries the head too
`;
