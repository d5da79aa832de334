/* Unit tests of the stored dose limits (unit limits-storage). */
#include "harness.h"
#include "crc16.h"
#include "limits_record.h"

static void check_refuses_every_bolus(const dose_limiter_t *limiter)
{
    CHECK_EQ(dose_limiter_check(limiter, DOSE_PULSE_CU, 0u), DOSE_ERR_CONFIG);
    CHECK_EQ(dose_limiter_check(limiter, 100u, 0u), DOSE_ERR_CONFIG);
}

/* @verifies SRS-30 */
static void test_limits_round_trip(void)
{
    uint8_t record[LIMITS_RECORD_LEN];
    dose_limiter_t limiter;

    CHECK_EQ(limits_record_encode(1000u, 2000u, record, sizeof record), LIMITS_RECORD_LEN);
    CHECK_EQ(record[0], LIMITS_MAGIC_0);
    CHECK_EQ(record[2], LIMITS_RECORD_VERSION);
    CHECK_EQ(limits_record_load(record, sizeof record, &limiter), LIMITS_OK);
    CHECK_EQ(limiter.max_bolus_cu, 1000u);
    CHECK_EQ(limiter.max_hourly_cu, 2000u);
    CHECK_EQ(dose_limiter_check(&limiter, 1000u, 0u), DOSE_OK);
    CHECK_EQ(dose_limiter_check(&limiter, 1005u, 0u), DOSE_ERR_MAX_BOLUS);
}

/* Every single-bit flip of a stored record is caught, and the pump then
 * refuses every bolus rather than use a default.
 * @verifies SRS-30, SRS-23 */
static void test_limits_corrupted_record_refuses_every_bolus(void)
{
    uint8_t good[LIMITS_RECORD_LEN];
    uint8_t record[LIMITS_RECORD_LEN];
    dose_limiter_t limiter;
    unsigned byte;
    unsigned bit;

    CHECK_EQ(limits_record_encode(1000u, 2000u, good, sizeof good), LIMITS_RECORD_LEN);
    for (byte = 0u; byte < LIMITS_RECORD_LEN; byte++) {
        for (bit = 0u; bit < 8u; bit++) {
            memcpy(record, good, sizeof record);
            record[byte] = (uint8_t)(record[byte] ^ (1u << bit));
            CHECK(limits_record_load(record, sizeof record, &limiter) != LIMITS_OK);
            check_refuses_every_bolus(&limiter);
        }
    }
}

/* Erased flash (all 0xFF), a short read and no record at all are refused.
 * @verifies SRS-30 */
static void test_limits_erased_or_missing_record(void)
{
    uint8_t erased[LIMITS_RECORD_LEN];
    dose_limiter_t limiter;

    memset(erased, 0xFF, sizeof erased);
    CHECK_EQ(limits_record_load(erased, sizeof erased, &limiter), LIMITS_ERR_MAGIC);
    check_refuses_every_bolus(&limiter);
    CHECK_EQ(limits_record_load(erased, LIMITS_RECORD_LEN - 1u, &limiter), LIMITS_ERR_LENGTH);
    check_refuses_every_bolus(&limiter);
    CHECK_EQ(limits_record_load(NULL, 0u, &limiter), LIMITS_ERR_LENGTH);
    check_refuses_every_bolus(&limiter);
}

/* A record of another layout version, even with a correct CRC, is not read.
 * @verifies SRS-30 */
static void test_limits_other_version_refused(void)
{
    uint8_t record[LIMITS_RECORD_LEN];
    dose_limiter_t limiter;
    uint16_t crc;

    CHECK_EQ(limits_record_encode(500u, 1000u, record, sizeof record), LIMITS_RECORD_LEN);
    record[2] = 2u;
    crc = crc16_ccitt(record, LIMITS_RECORD_LEN - 2u);
    record[8] = (uint8_t)(crc & 0xFFu);
    record[9] = (uint8_t)(crc >> 8);
    CHECK_EQ(limits_record_load(record, sizeof record, &limiter), LIMITS_ERR_VERSION);
    check_refuses_every_bolus(&limiter);
}

/* The menu cannot store limits outside the ranges, and a stored record with
 * a valid CRC but limits out of range (written by a faulty tool) is refused.
 * @verifies SRS-30, SRS-23 */
static void test_limits_out_of_range(void)
{
    uint8_t record[LIMITS_RECORD_LEN];
    dose_limiter_t limiter;
    uint16_t crc;

    memset(record, 0xEE, sizeof record);
    CHECK_EQ(limits_record_encode(2505u, 5000u, record, sizeof record), 0u);
    CHECK_EQ(limits_record_encode(1000u, 500u, record, sizeof record), 0u);
    CHECK_EQ(limits_record_encode(0u, 500u, record, sizeof record), 0u);
    CHECK_EQ(limits_record_encode(1000u, 5005u, record, sizeof record), 0u);
    CHECK_EQ(limits_record_encode(1000u, 2000u, record, LIMITS_RECORD_LEN - 1u), 0u);
    CHECK_EQ(record[0], 0xEE);

    CHECK_EQ(limits_record_encode(1000u, 2000u, record, sizeof record), LIMITS_RECORD_LEN);
    record[4] = 0xC4u; /* 0x0AC4 = 2756 cU: above the 25 U ceiling */
    record[5] = 0x0Au;
    crc = crc16_ccitt(record, LIMITS_RECORD_LEN - 2u);
    record[8] = (uint8_t)(crc & 0xFFu);
    record[9] = (uint8_t)(crc >> 8);
    CHECK_EQ(limits_record_load(record, sizeof record, &limiter), LIMITS_ERR_RANGE);
    check_refuses_every_bolus(&limiter);
}

static const test_case_t tests[] = {
    TEST_CASE(test_limits_round_trip),
    TEST_CASE(test_limits_corrupted_record_refuses_every_bolus),
    TEST_CASE(test_limits_erased_or_missing_record),
    TEST_CASE(test_limits_other_version_refused),
    TEST_CASE(test_limits_out_of_range),
};

HARNESS_MAIN(tests)
