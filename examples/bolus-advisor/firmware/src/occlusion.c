#include "occlusion.h"

void occlusion_init(occlusion_monitor_t *monitor, uint16_t threshold_mn)
{
    monitor->threshold_mn = threshold_mn;
    monitor->high_count = 0u;
    monitor->occluded = false;
}

/* One high reading can be a transient (a bubble, a knock on the pump); three
 * consecutive high readings after three strokes mean the line is blocked.
 * A saturated or disconnected sensor reads 0xFFFF and therefore also ends in
 * an occlusion alarm: a sensor fault stops delivery rather than hiding.
 * @implements SRS-25 */
bool occlusion_update(occlusion_monitor_t *monitor, uint16_t force_mn)
{
    if (monitor->occluded) {
        return true;
    }
    if (force_mn >= monitor->threshold_mn) {
        monitor->high_count++;
        if (monitor->high_count >= OCCLUSION_CONSECUTIVE_PULSES) {
            monitor->occluded = true;
        }
    } else {
        monitor->high_count = 0u;
    }
    return monitor->occluded;
}

void occlusion_reset(occlusion_monitor_t *monitor)
{
    monitor->high_count = 0u;
    monitor->occluded = false;
}
