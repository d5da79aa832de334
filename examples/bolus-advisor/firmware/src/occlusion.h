/* Occlusion detection from the plunger force sensor (RISK-7). */
#ifndef OCCLUSION_H
#define OCCLUSION_H

#include <stdbool.h>
#include <stdint.h>

#define OCCLUSION_DEFAULT_THRESHOLD_MN 30000u /* 30 N on the plunger */
#define OCCLUSION_CONSECUTIVE_PULSES 3u

typedef struct {
    uint16_t threshold_mn;
    uint8_t high_count;
    bool occluded;
} occlusion_monitor_t;

void occlusion_init(occlusion_monitor_t *monitor, uint16_t threshold_mn);

/* Feeds the force measured after one pump stroke; returns true when an
 * occlusion is detected. The result latches until occlusion_reset(). */
bool occlusion_update(occlusion_monitor_t *monitor, uint16_t force_mn);

/* Clears a latched occlusion once the user has acknowledged the alarm. */
void occlusion_reset(occlusion_monitor_t *monitor);

#endif /* OCCLUSION_H */
