/* CRC-16/CCITT-FALSE used to protect the app-to-pump command frames. */
#ifndef CRC16_H
#define CRC16_H

#include <stddef.h>
#include <stdint.h>

/* Polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR.
 * Check value: crc16_ccitt("123456789", 9) == 0x29B1.
 * The same algorithm is implemented in app/src/pumpCommand.ts. */
uint16_t crc16_ccitt(const uint8_t *data, size_t len);

#endif /* CRC16_H */
