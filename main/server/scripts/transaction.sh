#!/bin/sh
# Homemail server-side script. Static text: it never contains user input. Values arrive as
# arguments checked by the client (ids, paths it chose) or on stdin in base64 (the bundle).
# Modes: gather [--recover] -- PATH... | transact -- PATH... | rollback ID|latest
set -u
umask 077
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LC_ALL=C
export PATH LC_ALL
ROOT=/var/backups/homemail
SELF=$1
shift
MODE=none
if [ $# -gt 0 ]; then MODE=$1; shift; fi

# GNU base64 -w0: one line, no tr (each fork counts: gather runs these dozens of times).
enc() { printf '%s' "$1" | base64 -w0; }
dec() { printf '%s' "$1" | base64 -d; }
say() { printf '%s\n' "$*"; }
now() { date +%s; }
# Milliseconds for the stage timings the client reports ("-" where date has no %N).
now_ms() { d=$(date +%s%3N 2>/dev/null); case $d in *[!0-9]*|'') echo -;; *) echo "$d";; esac; }
valid_id() { case $1 in *[!0-9A-Za-z-]*|'') return 1;; esac; return 0; }

# Runs a command whose words are base64 fields: no word is ever parsed by the shell.
run_b64() {
  n=$#
  i=0
  while [ "$i" -lt "$n" ]; do
    w=$(dec "$1")
    shift
    set -- "$@" "$w"
    i=$((i + 1))
  done
  "$@"
}

meta() { stat -c '%U %G %a %Y' "$1" 2>/dev/null || echo '- - - 0'; }

lock_alive() {
  [ -f "$ROOT/lock/pid" ] || return 1
  lp=$(cat "$ROOT/lock/pid" 2>/dev/null)
  [ -n "$lp" ] && kill -0 "$lp" 2>/dev/null
}

# A directory only root can change, on the same file system as PATH: PATH's own directory
# when root owns it and no one else may write there, else the nearest such ancestor.
safe_dir_for() { # path
  sd=$(dirname "$1")
  while :; do
    if stat -c '%u %a' "$sd" 2>/dev/null | awk '{ g = int($2 / 10) % 10; o = $2 % 10; exit !($1 == 0 && g !~ /^[2367]$/ && o !~ /^[2367]$/) }'; then
      echo "$sd"; return 0
    fi
    [ "$sd" != / ] || return 1
    sd=$(dirname "$sd")
  done
}

# Puts SRC's bytes at PATH without ever following a symlink in a directory someone else can
# write (e.g. /etc/dkimkeys, owned by opendkim): the copy gets its owner and mode inside a
# root-only staging directory, then one rename replaces PATH itself (-T: never into a
# directory planted there). With no owner given, SRC's owner and mode are kept (cp -p).
place_file() { # src path [owner group mode]
  sd=$(safe_dir_for "$2") || return 1
  st="$sd/.homemail-stage-$$"
  rm -rf "$st" && mkdir -m 700 "$st" || return 1
  if [ $# -ge 5 ]; then
    # Dated 2 s back: Postfix rereads a file changed within the last second or two until it
    # stops changing (dict_load_file), which cost newaliases and postconf ~2 s after each
    # apply. The file appears whole by one rename, so there is nothing to wait for.
    cp "$1" "$st/f" && chown "$3:$4" "$st/f" && chmod "$5" "$st/f" && touch -m -d "@$(($(date +%s) - 2))" "$st/f" && mv -fT "$st/f" "$2"
  else
    cp -p "$1" "$st/f" && mv -fT "$st/f" "$2"
  fi
  r=$?
  rm -rf "$st"
  return $r
}

journal_state() { sed -n 's/^STATE \([^ ]*\).*/\1/p' "$1/journal" 2>/dev/null | tail -n 1; }
journal_stage() { sed -n 's/^STAGE \([^ ]*\).*/\1/p' "$1/journal" 2>/dev/null | tail -n 1; }

# Copies the file (base64 path $1) into this apply's backup as files/$2, or records that it
# did not exist, so restore_backup puts it back or removes it.
back_up_file() {
  path=$(dec "$1")
  if [ -f "$path" ]; then
    cp -p "$path" "$DIR/files/$2" || { fail backup "$(why cannotBackUp "path=$path")"; return 1; }
    echo "file $1 1 $2" >> "$DIR/manifest"
  else
    echo "file $1 0 $2" >> "$DIR/manifest"
  fi
}

# ------------------------------------------------------------------ restore
# Puts back every file of a backup's manifest, removes files and directories it created,
# purges packages it installed, then runs the recorded service commands.
restore_backup() {
  d=$1
  rc=0
  if [ -f "$d/manifest" ]; then
    tac "$d/manifest" > "$d/manifest.rev"
    while read -r kind p existed idx rest; do
      path=$(dec "$p")
      case $kind in
        file)
          if [ "$existed" = 1 ]; then
            place_file "$d/files/$idx" "$path" || rc=1
          else
            rm -f "$path" || rc=1
          fi ;;
        dir)
          [ "$existed" = 1 ] || rmdir "$path" 2>/dev/null || true ;;
      esac
    done < "$d/manifest.rev"
    rm -f "$d/manifest.rev"
    if grep -q '^aliases' "$d/manifest" 2>/dev/null && command -v newaliases >/dev/null; then newaliases </dev/null || rc=1; fi
    # Packages this apply installed, taken back with the platform's command (purge when they
    # were absent, remove when only their configuration files had stayed behind).
    grep '^packages ' "$d/manifest" > "$d/packages.undo"
    while read -r _kind words; do
      # shellcheck disable=SC2086 # base64 words, split on spaces on purpose
      run_b64 $words </dev/null >>"$d/apt.log" 2>&1 || rc=1
    done < "$d/packages.undo"
    # Backups written before the platform rows carried these commands name each package as
    # `package NAME purge|remove`; those servers were Debian's, so apt-get takes them back.
    for how in purge remove; do
      pk=$(sed -n "s/^package \([a-z0-9][a-z0-9+.-]*\) $how\$/\1/p" "$d/manifest" | tr '\n' ' ')
      [ -n "$pk" ] || continue
      # shellcheck disable=SC2086 # package names matched Debian's package-name grammar above
      DEBIAN_FRONTEND=noninteractive apt-get "$how" -y -q $pk </dev/null >>"$d/apt.log" 2>&1 || rc=1
    done
  fi
  # Directories get their modification times back too, so a snapshot sees no trace.
  if [ -f "$d/manifest" ]; then
    grep '^dirtime ' "$d/manifest" | while read -r kind p t; do
      path=$(dec "$p")
      [ -d "$path" ] && touch -m -d "$(dec "$t")" "$path"
    done
  fi
  if [ -f "$d/rollback-commands" ]; then
    while read -r label _expect words; do
      # shellcheck disable=SC2086 # base64 words, split on spaces on purpose
      run_b64 $words </dev/null >>"$d/services.log" 2>&1 || { say "WARN $(enc "$(why rollbackCommandFailed "label=$(dec "$label")")")"; rc=1; }
    done < "$d/rollback-commands"
  fi
  if command -v postfix >/dev/null && ! postfix check >>"$d/services.log" 2>&1; then rc=1; fi
  rm -rf "$d/new"
  return $rc
}

# ------------------------------------------------------------------ gather
emit_file() { # path secret(0|1)
  if [ -f "$1" ]; then
    m=$(meta "$1")
    s=$(sha256sum < "$1")
    s=${s%% *}
    if [ "$2" = 1 ]; then c=-; else c=$(base64 -w0 < "$1"); [ -n "$c" ] || c=.; fi
    say "file $(enc "$1") 1 $m $s $c"
  else
    say "file $(enc "$1") 0 - - - 0 - -"
  fi
}

emit_dir() {
  if [ -d "$1" ]; then say "dir $(enc "$1") 1 $(meta "$1")"; else say "dir $(enc "$1") 0 - - - 0"; fi
}

recover() {
  [ -d "$ROOT" ] || return 0
  if lock_alive; then say "busy $(cat "$ROOT/lock/pid")"; return 0; fi
  rm -rf "$ROOT/lock"
  for d in "$ROOT"/*; do
    [ -f "$d/journal" ] || continue
    id=$(basename "$d")
    st=$(journal_state "$d")
    if [ -z "$st" ]; then
      if [ "$(journal_stage "$d")" = health-ok ]; then
        printf 'STATE done %s\n' "$(now)" >> "$d/journal"
        rm -rf "$d/new" "$d/bundle"
        touch "$d/acknowledged"
        say "recovered $id finished"
      elif restore_backup "$d"; then
        printf 'STATE rolled-back %s\n' "$(now)" >> "$d/journal"
        touch "$d/acknowledged"
        say "recovered $id undone"
      else
        printf 'STATE rollback-failed %s\n' "$(now)" >> "$d/journal"
        touch "$d/acknowledged"
        say "recovered $id undo-failed"
      fi
      rm -f "$d/bundle"
    elif [ ! -f "$d/acknowledged" ]; then
      touch "$d/acknowledged"
      say "recovered $id reported-$st"
    fi
  done
}

gather() {
  if [ "$1" = --recover ]; then shift; recover; fi
  [ "$1" = -- ] && shift
  say "HOMEMAIL-GATHER 1"
  if [ -r /etc/os-release ]; then say "os-release $(enc "$(cat /etc/os-release)")"; else say "os-release $(enc "$(cat /usr/lib/os-release 2>/dev/null)")"; fi
  if [ -d /run/systemd/system ]; then say "manager systemd"; else say "manager other"; fi
  for s in opendkim postfix; do
    if [ -x "/etc/init.d/$s" ]; then say "initscript $s 1"; else say "initscript $s 0"; fi
  done
  if command -v apt-get >/dev/null; then say "apt 1"; else say "apt 0"; fi
  # One dpkg-query for all the packages (each call reads dpkg's whole status file).
  pkgs=$(dpkg-query -W -f='${Package} ${Status}|${Version}\n' opendkim opendkim-tools postfix libsasl2-modules 2>/dev/null)
  v=
  for p in opendkim opendkim-tools postfix libsasl2-modules; do
    case $(printf '%s\n' "$pkgs" | grep "^$p ") in *' installed|'*) say "package $p 1";; *) say "package $p 0";; esac
  done
  # Which OpenDKIM build signs (or would be installed): decides whether Ed25519 can sign beside RSA.
  case $(printf '%s\n' "$pkgs" | grep '^opendkim ') in *' installed|'*) v=$(printf '%s\n' "$pkgs" | sed -n 's/^opendkim [^|]*|//p') ;; esac
  [ -n "$v" ] || v=$(apt-cache policy opendkim 2>/dev/null | awk '$1 == "Candidate:" && $2 != "(none)" { print $2; exit }')
  say "opendkim-package $(enc "$v")"
  if command -v opendkim >/dev/null; then say "opendkim-filter $(enc "$(opendkim -V 2>&1 | head -n 40)")"; fi
  if command -v postfix >/dev/null && postfix status >/dev/null 2>&1; then say "running postfix 1"; else say "running postfix 0"; fi
  if pgrep -x opendkim >/dev/null 2>&1 || pidof opendkim >/dev/null 2>&1; then say "running opendkim 1"; else say "running opendkim 0"; fi
  if command -v postconf >/dev/null; then
    pc=$(postconf -h queue_directory mail_version 2>/dev/null)
    say "postconf queue_directory $(enc "$(printf '%s\n' "$pc" | sed -n 1p)")"
    say "postconf mail_version $(enc "$(printf '%s\n' "$pc" | sed -n 2p)")"
    say "warnings $(enc "$(postconf 2>&1 >/dev/null | grep -i warning)")"
  fi
  say "users $(enc "$(cut -d: -f1 /etc/passwd | tr '\n' ' ')")"
  for p in "$@"; do
    case $p in
      secret:*) emit_file "$(printf '%s' "$p" | cut -c8-)" 1 ;;
      dir:*) emit_dir "$(printf '%s' "$p" | cut -c5-)" ;;
      *) emit_file "$p" 0 ;;
    esac
  done
  # Files that opendkim.conf points at: the client cannot know them before this read. Read
  # as OpenDKIM does (main/server/config/opendkimConf.ts): '#' anywhere starts a comment,
  # the last line of a setting wins; KeyTable lines as OpenDKIM's datasets (first line wins).
  if [ -f /etc/opendkim.conf ]; then
    awk '{ sub(/#.*/, "") } NF >= 2 && tolower($1) ~ /^(keytable|signingtable|internalhosts|externalignorelist|keyfile)$/ { v=$2; sub(/^(file|refile):/, "", v); print tolower($1), v }' /etc/opendkim.conf |
    while read -r k v; do
      case $v in /*) ;; *) continue ;; esac
      if [ "$k" = keyfile ]; then emit_file "$v" 1; else emit_file "$v" 0; fi
    done
    kt=$(awk '{ sub(/#.*/, "") } NF >= 2 && tolower($1) == "keytable" { v=$2; sub(/^(file|refile):/, "", v) } END { print v }' /etc/opendkim.conf)
    if [ -n "$kt" ] && [ -f "$kt" ]; then
      awk '{ sub(/#.*/, "") } NF >= 2 { n=split($2, a, ":"); if (n >= 3) print a[3] }' "$kt" | while read -r k; do
        case $k in /*) emit_file "$k" 1 ;; esac
      done
    fi
  fi
  if [ -d "$ROOT" ]; then
    for d in "$ROOT"/*; do
      [ -f "$d/journal" ] || continue
      st=$(journal_state "$d")
      [ -n "$st" ] || st=unfinished
      say "journal $(basename "$d") $st $(journal_stage "$d")"
    done
    if lock_alive; then say "busy $(cat "$ROOT/lock/pid")"; fi
  fi
  say "end"
}

# ------------------------------------------------------------------ apply (worker)
# Where a test-only hook (sent in the bundle by the host tests, never by the app) can make
# a stage fail, cut the connection or kill the worker. In production: never.
fault_at() { return 1; }

stage() { printf 'STAGE %s %s\n' "$1" "$(now)" >> "$DIR/journal"; say "STAGE $1 $(now_ms)"; }

FAILED_STAGE=
REASON=
fail() { FAILED_STAGE=$1; REASON=$2; say "FAIL $1 $(enc "$2")"; }
# A reason as a code and its params (code TAB name=value …), which main renders from the
# catalogs (words.serviceErrors.reason.<code>); tabs inside a value become spaces.
why() { code=$1; shift; printf '%s' "$code"; for kv in "$@"; do printf '\t%s' "$(printf '%s' "$kv" | tr '\t' ' ')"; done; }

# Runs the bundle's commands of one kind in order; the first that fails fails the stage. A
# command with an expected answer ("-": none) also fails when its stdout differs from it.
run_commands() { # kind stage
  while read -r kind label expect words; do
    [ "$kind" = "$1" ] || continue
    # shellcheck disable=SC2086 # base64 words, split on spaces on purpose
    if ! out=$(run_b64 $words 2>"$DIR/command.err" </dev/null); then
      fail "$2" "$(why commandFailed "label=$(dec "$label")" "output=$({ [ -z "$out" ] || printf '%s\n' "$out"; cat "$DIR/command.err"; } | head -c 600)")"; return 1
    fi
    if [ "$expect" != - ] && [ "$out" != "$(dec "$expect")" ]; then
      fail "$2" "$(why unexpectedAnswer "label=$(dec "$label")" "expected=$(dec "$expect" | head -c 200)" "answer=$(printf '%s' "$out" | head -c 400)")"; return 1
    fi
  done < "$DIR/commands"
}

socket_listening() { # kind value
  if [ "$1" = inet ]; then
    hex=$(printf '%04X' "$2")
    awk -v h=":$hex" 'substr($2, length($2) - 4) == h && $4 == "0A" { f=1 } END { exit !f }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
  else
    [ -S "$(dec "$2")" ]
  fi
}

# The platform's mail log candidates (from the bundle, in order): the first that exists.
mail_logs() {
  [ -f "$DIR/mail-logs" ] || return 1
  while read -r l; do
    f=$(dec "$l")
    [ -f "$f" ] && { echo "$f"; return 0; }
  done < "$DIR/mail-logs"
  return 1
}

# Sends one message through sendmail and waits for OpenDKIM's "DKIM-Signature field added"
# for every selector (space-separated): with several keys each must have signed.
health_mail() { # from to domain selectors
  from=$(dec "$1"); to=$(dec "$2"); domain=$(dec "$3"); sels=$(dec "$4")
  added="DKIM-Signature field added ("
  msgid="homemail-health-$ID@$domain"
  log=$(mail_logs) || log=
  start=$(now)
  qid=
  missing=$sels
  {
    printf 'From: <%s>\nTo: <%s>\nSubject: Homemail check %s\nMessage-ID: <%s>\n' "$from" "$to" "$ID" "$msgid"
    printf 'Date: %s\nMIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n' "$(date -R)"
    printf 'Homemail sent this message to check that %s signs outgoing mail. It can be deleted.\n' "$domain"
  } | sendmail -i -f "$from" -- "$to" || { REASON=$(why sendmailRefused); return 1; }
  # Polled every 0.1 s (up to 30 s): the signature usually shows within a few tenths.
  i=0
  while [ "$i" -lt 300 ]; do
    if [ -n "$log" ]; then
      lines=$(grep -F -e "message-id=<$msgid>" -e "$added" -e "milter-reject" "$log")
    elif [ -d /run/systemd/system ] && command -v journalctl >/dev/null; then
      lines=$(journalctl -q --no-pager --since="@$start" 2>/dev/null | grep -F -e "message-id=<$msgid>" -e "$added" -e "milter-reject")
    else
      say "WARN $(enc "$(why noMailLogToConfirm)")"
      return 0
    fi
    # A content filter re-injects the message under a new queue id: any of them may carry it.
    for q in $(printf '%s\n' "$lines" | grep -F "message-id=<$msgid>" | sed -n 's/.*: \([0-9A-Za-z]*\): message-id=.*/\1/p'); do
      qid=$q
      if printf '%s\n' "$lines" | grep -F "$q: milter-reject" >/dev/null; then REASON=$(why milterRejected); return 1; fi
      missing=
      for sel in $sels; do
        printf '%s\n' "$lines" | grep -F "$q: DKIM-Signature field added (s=$sel, d=$domain)" >/dev/null || missing="$missing $sel"
      done
      [ -n "$missing" ] || return 0
    done
    sleep 0.1
    i=$((i + 1))
  done
  REASON=$(why notSigned "msgid=$msgid" "selectors=$(for sel in $missing; do printf ' s=%s' "$sel"; done)" "domain=$domain")
  [ -n "$qid" ] || REASON=$(why notInLog)
  return 1
}

# Asks Postfix to verify a remote address (sendmail -bv): its smtp client connects to the
# relay, logs in and names the recipient, then hangs up without sending anything. The mail
# log says whether the relay took it ("status=deliverable"); a refused login fails.
health_relay() { # recipient relay
  to=$(dec "$1"); relay=$(dec "$2")
  log=$(mail_logs) || log=
  start=$(now)
  from=0
  [ -z "$log" ] || from=$(wc -c < "$log")
  sendmail -bv -- "$to" </dev/null >/dev/null 2>&1 || { REASON=$(why addressCheckRefused "to=$to"); return 1; }
  i=0
  while [ "$i" -lt 60 ]; do
    if [ -n "$log" ]; then
      lines=$(tail -c +"$((from + 1))" "$log" | grep -F " to=<$to>," | grep -F "status=")
    elif [ -d /run/systemd/system ] && command -v journalctl >/dev/null; then
      lines=$(journalctl -q --no-pager --since="@$start" 2>/dev/null | grep -F " to=<$to>," | grep -F "status=")
    else
      REASON=$(why noMailLog); return 1
    fi
    line=$(printf '%s\n' "$lines" | grep -v -F -e "relay=local" -e "relay=none" | head -n 1)
    [ -n "$line" ] || line=$(printf '%s\n' "$lines" | grep . | head -n 1)
    if [ -n "$line" ]; then
      case $line in
        *"status=deliverable"*" relay=local"*|*"relay=local"*) REASON=$(why relayBypassed "to=$to" "relay=$relay"); return 1 ;;
        *"status=deliverable"*) return 0 ;;
        *) REASON=$(why relayRefused "to=$to" "relay=$relay" "answer=$(printf '%s' "$line" | sed 's/.*status=//' | head -c 400)"); return 1 ;;
      esac
    fi
    sleep 0.5
    i=$((i + 1))
  done
  REASON=$(why relayNoAnswer "to=$to" "relay=$relay")
  return 1
}

# Compares the first certificate of the configured file with the one smtpd presents after
# STARTTLS where it takes port-25 mail (the bundle's smtpd-listener.sh reads master.cf and
# inet_interfaces as Postfix does), SHA-256 fingerprints, for up to 5 s every 0.2 s: smtpd
# processes started before the reload may still answer for a moment. A master.cf override on
# the smtp service (its own cert file, or TLS off) fails it. No smtpd on port 25: nothing any
# sender sees can be checked, which is said as a warning, not a failure.
health_certificate() { # certificate listener-script
  cert=$(dec "$1")
  want=$(openssl x509 -noout -fingerprint -sha256 -in "$cert" 2>/dev/null)
  [ -n "$want" ] || { REASON=$(why certificateUnreadable "path=$cert"); return 1; }
  listener=$(sh -c "$(dec "$2")" homemail-listener)
  kind=${listener%% *} rest=${listener#* }
  if [ "$kind" != listener ]; then
    say "WARN $(enc "$(why smtpdNotListening "path=$cert" "services=${rest:--}")")"
    return 0
  fi
  connect=${rest%% *}
  start=$(now)
  while :; do
    got=$(timeout 5 openssl s_client -starttls smtp -connect "$connect" </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256 2>/dev/null)
    [ "$got" != "$want" ] || return 0
    [ $(($(now) - start)) -lt 5 ] || break
    sleep 0.2
  done
  if [ -z "$got" ]; then REASON=$(why noStartTls "path=$cert" "address=$connect"); return 1; fi
  REASON=$(why certificateNotPresented "path=$cert" "expected=${want#*=}" "presented=${got#*=}" "address=$connect")
  return 1
}

worker() {
  DIR=$ROOT/$ID
  echo $$ > "$ROOT/lock/pid"
  trap '' HUP PIPE
  : > "$DIR/manifest"
  : > "$DIR/rollback-commands"
  mkdir -p "$DIR/new" "$DIR/files"
  n=0
  while read -r kind a b c d e f; do
    case $kind in
      hook) dec "$a" > "$DIR/hook" ;;
      install) echo "$a $b $c $d $e $f" > "$DIR/install" ;;
      uninstall) echo "packages $a $b $c $d $e $f" > "$DIR/uninstall" ;;
      dir) echo "$a $b $c $d" >> "$DIR/dirs" ;;
      file)
        n=$((n + 1))
        dec "$f" > "$DIR/new/$n"
        [ "$f" = . ] && : > "$DIR/new/$n"
        echo "$n $a $b $c $d $e" >> "$DIR/files.list" ;;
      # A file to delete: backed up like any other, so restore_backup puts it back.
      remove)
        n=$((n + 1))
        : > "$DIR/new/$n.remove"
        echo "$n $a - - - $b" >> "$DIR/files.list" ;;
      aliases) echo aliases >> "$DIR/flags" ;;
      validate|service|rollback) echo "$kind $a $b $c $d $e $f" >> "$DIR/commands" ;;
      health-socket) echo "$a $b" > "$DIR/health-socket" ;;
      health-mail) echo "$a $b $c $d" > "$DIR/health-mail" ;;
      health-relay) echo "$a $b" > "$DIR/health-relay" ;;
      health-certificate) echo "$a $b" > "$DIR/health-certificate" ;;
      generated) echo "$a" >> "$DIR/generated" ;;
      mail-logs) printf '%s\n' "$a" "$b" "$c" "$d" "$e" "$f" | tr ' ' '\n' | grep -v '^$' > "$DIR/mail-logs" ;;
      end) break ;;
    esac
  done < "$DIR/bundle"
  rm -f "$DIR/bundle"
  # shellcheck source=/dev/null # the test hook, present only when a test sent one
  if [ -f "$DIR/hook" ]; then . "$DIR/hook"; fi
  grep '^rollback ' "$DIR/commands" 2>/dev/null | cut -d' ' -f2- >> "$DIR/rollback-commands"

  # 1. nothing changed on the server since the plan was made
  stage check
  if [ -f "$DIR/files.list" ]; then
    while read -r idx p o g m expect; do
      path=$(dec "$p")
      case $expect in
        any) ;;
        absent) [ ! -e "$path" ] || { fail check "$(why appearedSincePlan "path=$path")"; break; } ;;
        *) [ "$(sha256sum < "$path" 2>/dev/null | cut -d' ' -f1)" = "$expect" ] || { fail check "$(why changedSincePlan "path=$path")"; break; } ;;
      esac
    done < "$DIR/files.list"
  fi
  if [ -n "$FAILED_STAGE" ] || fault_at check; then
    [ -n "$FAILED_STAGE" ] || fail check "$(why injected)"
    printf 'STATE aborted %s\n' "$(now)" >> "$DIR/journal"
    rm -rf "$DIR/new"
    say "RESULT aborted check $(enc "$REASON")"
    return 0
  fi

  while :; do
    stage packages
    if [ -s "$DIR/install" ]; then
      [ -f "$DIR/uninstall" ] && cat "$DIR/uninstall" >> "$DIR/manifest"
      # shellcheck disable=SC2046 # base64 words, split on spaces on purpose
      if ! run_b64 $(cat "$DIR/install") </dev/null > "$DIR/apt.log" 2>&1; then
        fail packages "$(why aptFailed "output=$(tail -n 3 "$DIR/apt.log" | tr '\n' ' ')")"; break
      fi
    fi
    if fault_at packages; then fail packages "$(why injected)"; break; fi

    stage backup
    postconf 2>&1 >/dev/null | grep -i warning | sort > "$DIR/warnings.before"
    if [ -f "$DIR/dirs" ]; then
      while read -r p o g m; do
        path=$(dec "$p")
        if [ -d "$path" ]; then echo "dir $p 1 0" >> "$DIR/manifest"; else echo "dir $p 0 0" >> "$DIR/manifest"; fi
      done < "$DIR/dirs"
    fi
    if [ -f "$DIR/files.list" ]; then
      while read -r idx p o g m expect; do
        back_up_file "$p" "$idx" || break
      done < "$DIR/files.list"
      [ -z "$FAILED_STAGE" ] || break
    fi
    # Files a validate command makes (postmap's .db) go back with the files they come from.
    if [ -f "$DIR/generated" ]; then
      g=0
      while read -r p; do
        g=$((g + 1))
        back_up_file "$p" "g$g" || break
      done < "$DIR/generated"
      [ -z "$FAILED_STAGE" ] || break
    fi
    [ -f "$DIR/flags" ] && grep -q aliases "$DIR/flags" && echo aliases >> "$DIR/manifest"
    if [ -f "$DIR/files.list" ]; then
      while read -r idx p o g m expect; do
        parent=$(dirname "$(dec "$p")")
        [ -d "$parent" ] && echo "dirtime $(enc "$parent") $(enc "$(stat -c %y "$parent")")" >> "$DIR/manifest"
      done < "$DIR/files.list"
    fi
    if fault_at backup; then fail backup "$(why injected)"; break; fi

    stage write
    if [ -f "$DIR/dirs" ]; then
      while read -r p o g m; do
        path=$(dec "$p")
        [ -d "$path" ] || install -d -o "$o" -g "$g" -m "$m" "$path" || { fail write "$(why cannotCreate "path=$path")"; break; }
      done < "$DIR/dirs"
      [ -z "$FAILED_STAGE" ] || break
    fi
    if [ -f "$DIR/files.list" ]; then
      while read -r idx p o g m expect; do
        path=$(dec "$p")
        if [ -f "$DIR/new/$idx.remove" ]; then
          rm -f "$path" || { fail write "$(why cannotDelete "path=$path")"; break; }
        else
          place_file "$DIR/new/$idx" "$path" "$o" "$g" "$m" || { fail write "$(why cannotWrite "path=$path")"; break; }
        fi
      done < "$DIR/files.list"
      [ -z "$FAILED_STAGE" ] || break
    fi
    rm -rf "$DIR/new"
    if [ -f "$DIR/flags" ] && grep -q aliases "$DIR/flags"; then
      newaliases </dev/null > "$DIR/newaliases.log" 2>&1 || { fail write "$(why newaliasesFailed "output=$(head -c 300 "$DIR/newaliases.log")")"; break; }
    fi
    if fault_at write; then fail write "$(why injected)"; break; fi

    stage validate
    run_commands validate validate || break
    postconf 2>&1 >/dev/null | grep -i warning | sort > "$DIR/warnings.after"
    new=$(comm -13 "$DIR/warnings.before" "$DIR/warnings.after")
    if [ -n "$new" ]; then fail validate "$(why postconfWarns "output=$(printf '%s' "$new" | head -c 600)")"; break; fi
    if fault_at validate; then fail validate "$(why injected)"; break; fi

    stage restart
    run_commands service restart || break
    if fault_at restart; then fail restart "$(why injected)"; break; fi

    stage health
    if [ -f "$DIR/health-socket" ]; then
      read -r sk sv < "$DIR/health-socket"
      i=0
      until socket_listening "$sk" "$sv"; do
        i=$((i + 1))
        [ "$i" -lt 200 ] || { fail health "$(why opendkimNotListening)"; break; }
        sleep 0.1
      done
      [ -z "$FAILED_STAGE" ] || break
    fi
    postfix status >/dev/null 2>&1 || { fail health "$(why postfixNotRunning)"; break; }
    if [ -f "$DIR/health-mail" ]; then
      read -r hf ht hd hs < "$DIR/health-mail"
      health_mail "$hf" "$ht" "$hd" "$hs" || { fail health "$REASON"; break; }
    fi
    if [ -f "$DIR/health-relay" ]; then
      read -r rr rh < "$DIR/health-relay"
      health_relay "$rr" "$rh" || { fail health "$REASON"; break; }
    fi
    if [ -f "$DIR/health-certificate" ]; then
      read -r hc hl < "$DIR/health-certificate"
      health_certificate "$hc" "$hl" || { fail health "$REASON"; break; }
    fi
    if fault_at health; then fail health "$(why injected)"; break; fi
    stage health-ok
    break
  done

  if [ -n "$FAILED_STAGE" ]; then
    stage rollback
    if restore_backup "$DIR"; then
      printf 'STATE rolled-back %s\n' "$(now)" >> "$DIR/journal"
      say "RESULT rolled-back $FAILED_STAGE $(enc "$REASON")"
    else
      printf 'STATE rollback-failed %s\n' "$(now)" >> "$DIR/journal"
      say "RESULT rollback-failed $FAILED_STAGE $(enc "$REASON")"
    fi
  else
    printf 'STATE done %s\n' "$(now)" >> "$DIR/journal"
    say "RESULT ok"
  fi
}

# The client's side of apply, after gather: takes the lock, stores the bundle (stdin up to its
# "end" line), starts the worker in its own session so a lost connection does not stop it, and
# passes on each line the worker prints as it prints it, up to the RESULT.
apply_foreground() {
  ID=$1
  valid_id "$ID" || { say "RESULT refused - $(enc "$(why badBackupId)")"; return 2; }
  mkdir -p "$ROOT"
  chmod 700 "$ROOT"
  if ! mkdir "$ROOT/lock" 2>/dev/null; then
    if lock_alive; then say "RESULT busy - $(enc "$(why applyRunning)")"; return 0; fi
    rm -rf "$ROOT/lock"
    mkdir "$ROOT/lock" || { say "RESULT busy - $(enc "$(why lockUnavailable)")"; return 0; }
  fi
  DIR=$ROOT/$ID
  mkdir "$DIR" || { rm -rf "$ROOT/lock"; say "RESULT refused - $(enc "$(why backupExists "id=$ID")")"; return 0; }
  sed '/^end$/q' > "$DIR/bundle"
  if [ "$(tail -n 1 "$DIR/bundle")" != end ]; then
    rm -rf "$DIR" "$ROOT/lock"; say "RESULT refused - $(enc "$(why bundleIncomplete)")"; return 0
  fi
  printf 'BEGIN %s\n' "$(now)" > "$DIR/journal"
  echo $$ > "$DIR/fg.pid"
  : > "$DIR/log"
  # shellcheck disable=SC2016 # the script text is the argument, evaluated by the new shell
  setsid sh -c 'eval "$1"' homemail-tx "$SELF" worker "$ID" < /dev/null > "$DIR/log" 2>&1 &
  # Follows the log until the worker exits (no polling delay: the client sees each stage live).
  tail -s 0.05 -n +1 -f --pid=$! "$DIR/log"
  grep -q '^RESULT ' "$DIR/log" || say "RESULT interrupted - $(enc "$(why transactionStopped)")"
}

# apply, in one command: gather (finishing or undoing an interrupted apply first), then stdin
# says "apply ID" followed by the bundle (or ends: nothing to change), then, once the client has
# the RESULT, "ack" (later runs need not report this apply as interrupted).
transact() {
  gather --recover "$@" </dev/null
  read -r cmd id || return 0
  [ "$cmd" = apply ] || return 0
  apply_foreground "$id" || return $?
  if [ "$(timeout 120 head -n 1)" = ack ] && [ -f "$ROOT/$ID/journal" ]; then touch "$ROOT/$ID/acknowledged"; fi
}

rollback_mode() {
  want=$1
  if lock_alive; then say "RESULT busy - $(enc "$(why applyRunning)")"; return 0; fi
  mkdir -p "$ROOT/lock"
  echo $$ > "$ROOT/lock/pid"
  target=
  if [ "$want" = latest ]; then
    for d in "$ROOT"/*; do
      [ -f "$d/journal" ] && [ "$(journal_state "$d")" = "done" ] && target=$d
    done
  else
    valid_id "$want" && [ -d "$ROOT/$want" ] && target=$ROOT/$want
  fi
  if [ -z "$target" ]; then
    rm -rf "$ROOT/lock"
    if [ "$want" = latest ]; then say "RESULT not-found - $(enc "$(why noBackupToRestore)")"; else say "RESULT not-found - $(enc "$(why backupNotFound "id=$want")")"; fi
    return 0
  fi
  st=$(journal_state "$target")
  if [ "$st" != "done" ]; then
    id=$(basename "$target")
    case $st in
      rolled-back) r=$(why backupWasUndone "id=$id") ;;
      restored) r=$(why backupAlreadyRestored "id=$id") ;;
      *) r=$(why backupNotFinished "id=$id") ;;
    esac
    rm -rf "$ROOT/lock"; say "RESULT not-found $id $(enc "$r")"; return 0
  fi
  if restore_backup "$target"; then
    printf 'STATE restored %s\n' "$(now)" >> "$target/journal"
    say "RESULT ok $(basename "$target")"
  else
    printf 'STATE restore-failed %s\n' "$(now)" >> "$target/journal"
    out=$(tail -n 5 "$target/services.log" 2>/dev/null)
    if [ -n "$out" ]; then r=$(why restoreFailed "output=$out"); else r=$(why restoreIncomplete); fi
    say "RESULT restore-failed $(basename "$target") $(enc "$r")"
  fi
  rm -rf "$ROOT/lock"
}

case $MODE in
  gather) gather "$@" ;;
  transact) transact "$@" ;;
  worker) ID=$1; DIR=$ROOT/$ID; worker; rm -rf "$ROOT/lock" ;;
  rollback) rollback_mode "$@" ;;
  *) say "unknown mode"; exit 2 ;;
esac
