/* @verifies RW-SW-12, REQ_0042 */
void test_clamp_rate(void) {}

/* @verifies RW-SW-013 */
void test_occlusion_stops(void) {}
