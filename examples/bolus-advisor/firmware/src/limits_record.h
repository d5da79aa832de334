/* The clinician's dose limits as stored in the pump's flash (unit
 * limits-storage), and their validation at power-up.
 *
 * How the limits are set (SRS-30): only through the pump's own clinician
 * menu, behind the clinician PIN, on the pump itself. No BLE frame can set
 * them: the command parser (command_parser.h) knows only BOLUS and CANCEL and
 * rejects every other opcode, so neither the app nor anything that can write
 * to the GATT characteristic can raise a limit. The menu writes the record
 * with limits_record_encode(); the flash driver (vendor SDK) stores and reads
 * the bytes. At power-up limits_record_load() validates the record before the
 * dose limiter uses it; a record that fails any check leaves the limiter
 * refusing every bolus until the clinician enters the limits again.
 *
 * Record layout (little-endian):
 *
 *   offset  size  field
 *   0       2     magic 0x4C 0x4D ("LM")
 *   2       1     record version, LIMITS_RECORD_VERSION (1)
 *   3       1     reserved, 0
 *   4       2     maximum bolus, 0.01 U
 *   6       2     maximum in any 60 minutes, 0.01 U
 *   8       2     CRC-16/CCITT-FALSE (crc16.h) over bytes 0 .. 7
 */
#ifndef LIMITS_RECORD_H
#define LIMITS_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "dose_limiter.h"

#define LIMITS_MAGIC_0 0x4Cu
#define LIMITS_MAGIC_1 0x4Du
#define LIMITS_RECORD_VERSION 0x01u
#define LIMITS_RECORD_LEN 10u

typedef enum {
    LIMITS_OK = 0,
    LIMITS_ERR_LENGTH,  /* no record, or not LIMITS_RECORD_LEN bytes */
    LIMITS_ERR_MAGIC,   /* erased or foreign flash page */
    LIMITS_ERR_VERSION, /* record written by another layout */
    LIMITS_ERR_CRC,     /* corrupted record */
    LIMITS_ERR_RANGE    /* limits outside what dose_limiter_init() accepts */
} limits_result_t;

/* Writes the record of the limits into out and returns LIMITS_RECORD_LEN;
 * returns 0 and writes nothing when cap is too small or the limits are out
 * of range (the clinician menu then refuses the entry). */
size_t limits_record_encode(uint16_t max_bolus_cu, uint16_t max_hourly_cu, uint8_t *out,
                            size_t cap);

/* Validates the record read from flash and installs its limits in *limiter.
 * On any error the limiter is left refusing every bolus (DOSE_ERR_CONFIG):
 * no default limit is ever invented. */
limits_result_t limits_record_load(const uint8_t *record, size_t len, dose_limiter_t *limiter);

#endif /* LIMITS_RECORD_H */
