#!/bin/sh
# As fake-hwclock does on a Pi with no clock battery: the clock restarts from a saved time, here
# the one left in /var/lib/vpi/saved-clock (an hour behind the last run's heartbeat).
[ -s /var/lib/vpi/saved-clock ] && date -s "@$(cat /var/lib/vpi/saved-clock)" > /dev/null
exit 0
