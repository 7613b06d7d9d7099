#!/usr/bin/env bash
# Installs, upgrades or removes OpenITB as a systemd service on a Raspberry Pi (or any systemd
# Linux). Idempotent: run it again after a new build to upgrade; the config in /etc/openitb and the
# state in /var/lib/openitb are kept. See docs/raspberry-pi.md.
#
#   sudo systemd/install.sh [--jar FILE] [--java-home DIR] [--no-start] [--no-cds]
#   sudo systemd/install.sh --uninstall [--purge]
#
# --root DIR lays everything under DIR instead of / (a DESTDIR-style root for packaging and tests):
# the user goes into DIR/etc/passwd through systemd-sysusers --root, the unit is enabled with
# systemctl --root, and nothing is started.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)

root=/
jar=""
java_home=""
start=yes
cds=yes
action=install
purge=no

say() { printf 'install.sh: %s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 2; }

while [ $# -gt 0 ]; do
    case "$1" in
        --root) [ $# -ge 2 ] || die "--root needs a directory"; root=$2; shift 2 ;;
        --jar) [ $# -ge 2 ] || die "--jar needs a file"; jar=$2; shift 2 ;;
        --java-home) [ $# -ge 2 ] || die "--java-home needs a directory"; java_home=$2; shift 2 ;;
        --no-start) start=no; shift ;;
        --no-cds) cds=no; shift ;;
        --uninstall) action=uninstall; shift ;;
        --purge) purge=yes; shift ;;
        -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option '$1' (see --help)" ;;
    esac
done
[ "$purge" = no ] || [ "$action" = uninstall ] || die "--purge goes with --uninstall"

root=$(mkdir -p "$root" && cd "$root" && pwd)
r() { if [ "$root" = / ]; then printf '%s' "$1"; else printf '%s%s' "$root" "$1"; fi; }
live=no; [ "$root" = / ] && live=yes
if [ "$live" = yes ] && [ "$(id -u)" -ne 0 ]; then die "run it as root (sudo), or with --root DIR"; fi

OPT=/opt/openitb
ETC=/etc/openitb
STATE=/var/lib/openitb
CACHE=/var/cache/openitb
UNIT=/etc/systemd/system/openitb.service
SYSUSERS=/usr/lib/sysusers.d/openitb.conf
WRAPPER=/usr/local/bin/openitb

systemctl_() { if [ "$live" = yes ]; then systemctl "$@"; else systemctl --root="$root" "$@"; fi; }

# ---------------------------------------------------------------------------- uninstall
if [ "$action" = uninstall ]; then
    if [ "$live" = yes ] && systemctl is-active --quiet openitb.service; then
        say "stopping openitb (the motor goes to its safe state)"
        systemctl stop openitb.service
    fi
    [ -e "$(r $UNIT)" ] && systemctl_ disable openitb.service >/dev/null 2>&1 || true
    rm -f "$(r $UNIT)" "$(r $WRAPPER)" "$(r $SYSUSERS)"
    rm -rf "$(r $OPT)" "$(r $CACHE)"
    [ "$live" = yes ] && systemctl daemon-reload
    if [ "$purge" = yes ]; then
        rm -rf "$(r $ETC)" "$(r $STATE)"
        say "removed; config and state purged (the system user openitb stays: userdel openitb removes it)"
    else
        say "removed; kept the config in $ETC and the pump's state in $STATE (--uninstall --purge removes them)"
    fi
    exit 0
fi

# ---------------------------------------------------------------------------- install / upgrade
[ -n "$jar" ] || jar="$repo/controller/target/openitb.jar"
[ -f "$jar" ] || die "no jar at $jar: build it first (mvn -B -DskipTests package) or give --jar FILE"

java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1; }
find_java() {
    local d v
    for d in "$java_home" "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" /usr/lib/jvm/*; do
        [ -n "$d" ] && [ -x "$d/bin/java" ] || continue
        v=$(java_major "$d")
        if [ -n "$v" ] && [ "$v" -ge 21 ]; then (cd "$d" && pwd -P); return 0; fi
    done
    return 1
}
jre=$(find_java) || die "no Java 21 or newer found (--java-home, JAVA_HOME, java on the PATH, /usr/lib/jvm): apt install openjdk-21-jre-headless (Raspberry Pi OS 13), or Temurin 21"
[ -n "$java_home" ] && [ "$(cd "$java_home" && pwd -P)" != "$jre" ] && die "--java-home $java_home is not Java 21 or newer"

# The config the service will run with must pass the new version's check before anything changes:
# an upgrade that the running pump's config fails would leave it restarting forever, not dosing.
derived_config() {
    sed -e 's|^state\.dir *=.*|state.dir = /var/lib/openitb|' \
        -e 's|^control\.socket *=.*|control.socket = /run/openitb/control.sock|' "$repo/config/openitb.properties"
}
check_file="$(r $ETC)/openitb.properties"
scratch_check=""
if [ ! -e "$check_file" ]; then scratch_check=$(mktemp); check_file=$scratch_check; derived_config > "$check_file"; fi
# The check runs with the JVM options the unit will use, so options this Java refuses stop the install too.
verdict=$("$jre/bin/java" @"$repo/config/jvm.options" -jar "$jar" config check --config "$check_file" 2>&1 >/dev/null) && refused=no || refused=yes
[ -z "$scratch_check" ] || rm -f "$scratch_check"
[ "$refused" = no ] || die "this version refuses $(r $ETC)/openitb.properties or Java $(java_major "$jre") refuses config/jvm.options, nothing was changed: $(printf '%s' "$verdict" | tr '\n' ' ')"

# The user: a system account in the gpio group (the group that owns /dev/gpiochip* on Raspberry Pi OS).
install -d -m 0755 "$(r /usr/lib/sysusers.d)"
cat > "$(r $SYSUSERS).tmp" <<'EOF'
# OpenITB pump controller (systemd/install.sh)
u openitb - "OpenITB pump controller" /var/lib/openitb
m openitb gpio
EOF
mv "$(r $SYSUSERS).tmp" "$(r $SYSUSERS)"
install -d -m 0755 "$(r /etc)"
if [ "$live" = yes ]; then systemd-sysusers openitb.conf; else systemd-sysusers --root="$root" openitb.conf; fi
uid=$(awk -F: '$1 == "openitb" {print $3}' "$(r /etc/passwd)")
gid=$(awk -F: '$1 == "openitb" {print $4}' "$(r /etc/passwd)")
[ -n "$uid" ] || die "systemd-sysusers did not create the user openitb"

# The program: jar replaced atomically, only when it changed; the JDK linked in.
install -d -m 0755 "$(r $OPT)"
upgraded=no
if ! cmp -s "$jar" "$(r $OPT)/openitb.jar"; then
    install -m 0644 "$jar" "$(r $OPT)/openitb.jar.new"
    mv -f "$(r $OPT)/openitb.jar.new" "$(r $OPT)/openitb.jar"
    upgraded=yes
    say "installed $(r $OPT)/openitb.jar"
fi
if [ "$(readlink "$(r $OPT)/jre" 2>/dev/null)" != "$jre" ]; then
    ln -sfn "$jre" "$(r $OPT)/jre"
    upgraded=yes
    say "Java $(java_major "$jre") at $jre"
fi
# The JVM options the unit, the wrapper and scripts/openitb share (a java @argfile).
if ! cmp -s "$repo/config/jvm.options" "$(r $OPT)/jvm.options"; then
    install -m 0644 "$repo/config/jvm.options" "$(r $OPT)/jvm.options"
    upgraded=yes
    say "installed $(r $OPT)/jvm.options"
fi
# The README and the docs it links to, so its links resolve on the Pi too.
[ -f "$repo/README.md" ] && install -m 0644 "$repo/README.md" "$(r $OPT)/README.md"
if [ -d "$repo/docs" ]; then
    install -d -m 0755 "$(r $OPT)/docs"
    for doc in "$repo"/docs/*; do
        [ -f "$doc" ] && install -m 0644 "$doc" "$(r $OPT)/docs/"
    done
fi

# The config: the shipped example with the service's paths, written only when there is none; an
# operator's config is never overwritten: a changed example lands beside it as *.new.
install -d -m 0750 -o 0 -g "$gid" "$(r $ETC)" 2>/dev/null || install -d -m 0750 "$(r $ETC)"
place_config() { # $1 = file name, stdin = content
    local target new
    target="$(r $ETC)/$1"
    new=$(mktemp)
    cat > "$new"
    if [ ! -e "$target" ]; then
        install -m 0640 "$new" "$target"
        say "wrote $target"
    elif ! cmp -s "$new" "$target"; then
        install -m 0640 "$new" "$target.new"
        say "kept your $target; the shipped one is beside it as $1.new (compare them)"
    else
        rm -f "$target.new"
    fi
    chown "0:$gid" "$target" "$target.new" 2>/dev/null || true
    rm -f "$new"
}
derived_config | place_config openitb.properties
place_config tinylog.properties < "$repo/config/tinylog.properties"

# State and cache, owned by the service user (systemd's StateDirectory= would make them too).
install -d -m 0700 "$(r $STATE)" "$(r $CACHE)"
chown "$uid:$gid" "$(r $STATE)" "$(r $CACHE)" 2>/dev/null || say "could not hand $(r $STATE) to uid $uid (not root?)"

# The command line for people: the service's config by default, its socket needs the openitb user or root.
install -d -m 0755 "$(r /usr/local/bin)"
cat > "$(r $WRAPPER).tmp" <<'EOF'
#!/bin/sh
# OpenITB command line (systemd/install.sh). The control socket is owner-only: run it as root or as openitb.
exec /opt/openitb/jre/bin/java @/opt/openitb/jvm.options -jar /opt/openitb/openitb.jar "$@"
EOF
chmod 0755 "$(r $WRAPPER).tmp"
mv -f "$(r $WRAPPER).tmp" "$(r $WRAPPER)"

# The unit.
install -d -m 0755 "$(dirname "$(r $UNIT)")"
if ! cmp -s "$here/openitb.service" "$(r $UNIT)"; then
    install -m 0644 "$here/openitb.service" "$(r $UNIT)"
    upgraded=yes
    say "installed $(r $UNIT)"
fi

# A class-data-sharing archive, so the first start is fast too: one short run of the installed jar
# on the simulated bench with the unit's own JVM options, ended cleanly (the archive is written at exit).
if [ "$cds" = yes ] && { [ "$upgraded" = yes ] || [ ! -s "$(r $CACHE)/openitb.jsa" ]; }; then
    options=$(sed -n '/^ExecStart=/,/[^\\]$/p' "$here/openitb.service" | sed -e 's/^ExecStart=//' -e 's/\\$//' | tr '\n' ' ')
    jvm=()
    for word in $options; do
        case "$word" in
            */bin/java) ;;
            -jar) break ;;
            @$OPT/jvm.options) jvm+=("@$(r $OPT)/jvm.options") ;;
            -XX:SharedArchiveFile=*) jvm+=("-XX:SharedArchiveFile=$(r $CACHE)/openitb.jsa") ;;
            -Dtinylog.configuration=*) jvm+=("-Dtinylog.configuration=$(r $ETC)/tinylog.properties") ;;
            *) jvm+=("$word") ;;
        esac
    done
    work=$(mktemp -d)
    sed -e "s|^state\.dir *=.*|state.dir = $work/state|" -e "s|^control\.socket *=.*|control.socket = $work/control.sock|" \
        "$repo/config/openitb.properties" > "$work/openitb.properties"
    rm -f "$(r $CACHE)/openitb.jsa"
    "$jre/bin/java" "${jvm[@]}" -jar "$(r $OPT)/openitb.jar" simulate --config "$work/openitb.properties" > "$work/log" 2>&1 &
    trainer=$!
    for _ in $(seq 1 600); do
        [ -S "$work/control.sock" ] && break
        kill -0 "$trainer" 2>/dev/null || break
        sleep 0.1
    done
    sleep 1
    kill -TERM "$trainer" 2>/dev/null || true
    wait "$trainer" 2>/dev/null || true
    if [ -s "$(r $CACHE)/openitb.jsa" ]; then
        chown "$uid:$gid" "$(r $CACHE)/openitb.jsa" 2>/dev/null || true
        say "class-data-sharing archive $(r $CACHE)/openitb.jsa ($(du -k "$(r $CACHE)/openitb.jsa" | cut -f1) KiB)"
    else
        say "no class-data-sharing archive was written (the JVM makes one at the first clean stop): $(tail -n 3 "$work/log" | tr '\n' ' ')"
    fi
    rm -rf "$work"
fi

systemctl_ enable openitb.service >/dev/null 2>&1 || systemctl_ enable openitb.service
if [ "$live" = no ]; then
    say "laid down under $root and enabled there; nothing started"
    exit 0
fi
systemctl daemon-reload
if [ "$start" = no ]; then
    say "enabled; not started (--no-start): systemctl start openitb"
elif systemctl is-active --quiet openitb.service; then
    if [ "$upgraded" = yes ]; then
        say "restarting openitb on the new version (delivery resumes where it was)"
        systemctl restart openitb.service
    else
        say "openitb is running and up to date"
    fi
else
    systemctl start openitb.service
    say "started: systemctl status openitb; journalctl -u openitb -f"
fi
