// Files a test writes into a VIGIL_HOME (config.yaml, service.env) are written the way Vigil keeps
// them, 0600: otherwise every `vigil start` would first tighten them and journal that. The one
// test about wider modes (private-home.test.ts) runs Vigil under umask 022 and chmods on purpose.
process.umask(0o077);
