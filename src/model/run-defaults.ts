/**
 * Run settings whose defaults the CLI's flags, the extension's settings and migration/config.json
 * share, so the editor and the command line run the same migration the same way.
 */

/**
 * Records in flight per access token, and as many request slots in the client: each record's writes
 * are sequential, so with 16 the contact and membership phases stayed near 75–95 % of the rate limit
 * on a loaded 2-core machine (npm run bench); with 32 every 10-s window reaches the limiter's ceiling.
 */
export const RECORDS_IN_FLIGHT = 32;

/** Tickets a sample run migrates, with their contacts and companies. */
export const SAMPLE_TICKETS = 25;
