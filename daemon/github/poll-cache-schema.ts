export const POLL_CACHE_SCHEMA = `
CREATE TABLE poll_cache (
  url      TEXT PRIMARY KEY,
  etag     TEXT,
  snapshot TEXT
);
`;
