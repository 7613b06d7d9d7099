#!/bin/bash
# Installed on the guest as a unit ordered before openitb.service: the "Pi's" GPIO chip exists at
# boot, with the bench's inputs at their resting levels (the reservoir switch closed, i.e. not low).
set -eu
OUT=/share/out
[ -d $OUT ] || OUT=/tmp
. /usr/local/lib/vpi/lib.sh
gpio_sim_up
pull "$RESERVOIR_LOW" up
pull "$OCCLUSION" down
pull "$END_OF_TRAVEL" down
pull "$STALL" up
