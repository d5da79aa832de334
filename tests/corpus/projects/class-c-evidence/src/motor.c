/* Stepper motor buffer handling of the syringe driver. */
#include <stdlib.h>

int motor_steps(int ml_tenths)
{
    int *buffer = malloc(sizeof *buffer);
    if (buffer == NULL) {
        return -1;
    }
    *buffer = ml_tenths * 200;
    int steps = *buffer;
    free(buffer);
    if (steps < 0) {
        free(buffer);
        return -1;
    }
    return steps;
}
