#!/bin/sh
# The inbound picture's first read, as root: Postfix's explicit settings (postconf -n) and,
# from the mail log, how many clients connected and how many had no confirmed name.
# Output sections: HOMEMAIL-POSTCONF, HOMEMAIL-LOG (`connections N`, `unknown N`), HOMEMAIL-END.
printf 'HOMEMAIL-POSTCONF\n'
postconf -n 2>/dev/null
printf 'HOMEMAIL-LOG\n'
if [ -r /var/log/mail.log ]; then
  printf 'connections %s\n' "$(grep -c ' connect from ' /var/log/mail.log)"
  printf 'unknown %s\n' "$(grep -c ' connect from unknown\[' /var/log/mail.log)"
fi
printf 'HOMEMAIL-END\n'
