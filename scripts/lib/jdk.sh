# Finding a Java of a given release or newer. Sourced by scripts/openitb, scripts/verify and .ci/run.
# Where it looks, in order: JAVA_HOME, the newest under OPENITB_JVM_DIRS (colon-separated, default
# /usr/lib/jvm, where Debian's and Temurin's packages install), then the java on PATH.

# The oldest Java the build targets (maven.compiler.release; org.openitb.launch.Launch checks it too).
MIN_JAVA=21
# What to do when there is none, for the one-line errors.
GET_JAVA="install one (sudo apt-get install openjdk-21-jdk, or Temurin 21 or 25) or point JAVA_HOME at it"

# The feature release of the Java at $1 (a JAVA_HOME), e.g. 17 or 25; empty if it does not run.
java_major() {
    "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1
}

# The homes to try, one per line, in order of preference (the directories' newest release first).
java_candidates() {
    local d v dirs home
    [ -n "${JAVA_HOME:-}" ] && printf '%s\n' "$JAVA_HOME"
    IFS=: read -r -a dirs <<< "${OPENITB_JVM_DIRS:-/usr/lib/jvm}"
    for d in "${dirs[@]}"; do
        [ -d "$d" ] || continue
        for home in "$d"/*; do
            [ -x "$home/bin/java" ] || continue
            v=$(java_major "$home")
            [ -n "$v" ] && printf '%s %s\n' "$v" "$home"
        done
    done | sort -rn -k1,1 | cut -d' ' -f2-
    if command -v java >/dev/null 2>&1; then
        local bin; bin=$(readlink -f "$(command -v java)")
        printf '%s\n' "${bin%/bin/java}"
    fi
}

# find_jdk MIN [javac]: prints the first home of release MIN or newer (with javac, if asked); fails if none.
find_jdk() {
    local min=$1 need=${2:-} home v
    while IFS= read -r home; do
        [ -x "$home/bin/java" ] || continue
        [ "$need" != javac ] || [ -x "$home/bin/javac" ] || continue
        v=$(java_major "$home")
        if [ -n "$v" ] && [ "$v" -ge "$min" ]; then printf '%s\n' "$home"; return 0; fi
    done < <(java_candidates)
    return 1
}

# What was found instead, for the one-line error: "Java 17 at /usr/lib/jvm/java-17-openjdk-amd64, ..." or "no Java".
javas_found() {
    local home v seen="" found=""
    while IFS= read -r home; do
        v=$(java_major "$home")
        [ -n "$v" ] || continue
        case ",$seen," in *",$home,"*) continue ;; esac
        seen="$seen,$home"
        printf '%s' "${found:+, }Java $v at $home"
        found=yes
    done < <(java_candidates)
    [ -n "$found" ] || printf "no Java"
}
