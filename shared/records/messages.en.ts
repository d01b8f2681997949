/**
 * English sentences of the record notes and provider presets (keys under `records.` in
 * renderer/src/locales/en.json, which must hold exactly these; ja.json holds the Japanese).
 * A unit test keeps the three equal.
 */
export const recordMessagesEn = {
  // DKIM
  dkimNoKey: 'No DKIM key was given, so there is no DKIM record for {{domain}}: generate one (homemail keygen) and give it with --dkim SELECTOR:FILE.',
  dkimEd25519Additional: 'Selector {{selector}} is an Ed25519 key (RFC 8463). Sign with it only in addition to an RSA key: many receivers cannot verify Ed25519 yet.',
  dkimRsaWeak: 'Selector {{selector}} is a {{bits}}-bit RSA key. RFC 8301 says signers should use at least 2048 bits; 1024 is the bare minimum verifiers accept. Use 2048 unless your DNS provider cannot hold the longer record.',
  dkimSelectorConflict: 'Selector {{selector}} is already published ({{name}}) with another key. Replacing it would break the signatures of mail signed with that key: choose a new selector (a date such as 202611 is usual).',
  dkimRsaLong: 'Selector {{selector}} is a {{bits}}-bit RSA key. Its record is long: some DNS providers\' forms and some resolvers handle it badly. 2048 bits is the usual choice.',
  // SPF
  spfAlreadyComplete: 'The SPF record {{domain}} publishes already names this server: keep it as it is.',
  spfMerged: 'An SPF record already exists for {{domain}}: its terms are kept and the missing ones added. Replace it with this one; do not add a second SPF record.',
  spfMultipleExisting: '{{domain}} has {{count}} SPF records now. Two or more make every SPF check fail (permerror). They are merged into this one record: delete the others.',
  spfPtrDiscouraged: 'The existing SPF record uses "ptr", which RFC 7208 says not to use: it is slow and some receivers ignore it. Consider replacing it with ip4:/ip6: terms.',
  spfAddressNotPublic: 'The address {{address}} is not a public address ({{scope}}). Other mail servers never see it; give the address your server sends from on the Internet.',
  spfRedirectKept: 'The existing record hands the decision to {{target}} (redirect=); it is kept, so the ending ("all") of that record applies.',
  spfAllChanged: 'The existing record ended in {{from}}; this one ends in {{to}}.',
  spfAllWasOpen: 'The existing record ended in {{from}}, which lets any server on the Internet pass SPF for your domain. This one ends in {{to}}.',
  spfAllSoft: 'The record ends in ~all (soft fail): mail from servers not listed is marked suspicious, not refused outright. With DKIM and DMARC in place this is the usual choice: DMARC decides, and forwarded mail, which always fails SPF, can still pass on its DKIM signature.',
  spfAllHard: 'The record ends in -all (fail): receivers may refuse mail from servers not listed before DMARC looks at DKIM, so forwarded mail and a sender you forgot can be lost. Choose it only when every sending server is listed.',
  spfLookups: 'This SPF record makes {{count}} DNS lookups of the {{limit}} allowed (RFC 7208 §4.6.4).',
  spfTooManyLookups: 'With {{count}} lookups the record exceeds the limit of {{limit}}: receivers treat it as broken (permerror). Replace include:, a and mx terms with ip4:/ip6: addresses where you can.',
  spfTooManyLookupsRemove: 'With {{count}} lookups, counted through every include: and redirect=, the record exceeds the limit of {{limit}}: receivers treat it as broken (permerror). Remove or replace with ip4:/ip6: addresses some of these (lookups each): {{terms}}.',
  spfTooManyVoids: '{{count}} of the lookups find nothing at all (more than {{limit}} is a permerror, RFC 7208 §4.6.4): remove {{terms}}.',
  spfLookupsUnresolved: 'The lookups of {{names}} could not be read, so the count is the least it can be.',
  spfIncludesCount: 'Each include: (and redirect=) adds the lookups of the record it names; "homemail verify" counts them through DNS.',
  spfAuthorisesNothing: 'This SPF record lists no server, so it says no server may send mail for {{domain}}.',
  spfNoAddress: 'No server address was given (--ip), so SPF relies on the "mx" term: the addresses of your MX host. Add the address your server sends from if it differs.',
  // DMARC
  dmarcStageNone: 'Step 1 of 3, p=none: receivers only report and change nothing. Read the aggregate reports for two to four weeks; when all your own mail passes, move to p=quarantine.',
  dmarcStageQuarantine: 'Step 2 of 3, p=quarantine: mail that fails goes to the spam folder. If the reports stay clean for a few weeks, move to p=reject.',
  dmarcStageReject: 'Step 3 of 3, p=reject: mail that fails is refused. Keep reading the reports; go back to quarantine if your own mail starts failing.',
  dmarcKeptPublished: 'The published DMARC policy is p={{published}}; p={{requested}} would weaken it, so p={{published}} is kept.',
  dmarcFromPublished: 'The published DMARC record\'s settings ({{tags}}) are kept.',
  dmarcNoRua: 'No report address (rua) is set, so you will get no reports and cannot tell when it is safe to tighten the policy.',
  dmarcRufRare: 'Failure reports (ruf) contain parts of messages; Gmail and most large providers do not send them, so expect few.',
  dmarcPct: 'pct={{pct}}: the policy applies to only {{pct}}% of failing mail; the rest is treated as one step milder.',
  dmarcStrictAlignment: 'Strict alignment (s) requires exactly the same domain, not a subdomain; mail sent from a subdomain will fail DMARC.',
  dmarcExternalReportsAuthorized: 'Reports go to {{other}}, another domain; it already accepts them ({{name}} is published).',
  dmarcExternalReports: 'Reports go to {{other}}, another domain. It accepts them only if it publishes {{name}} TXT "v=DMARC1" (RFC 7489 §7.1): its owner must add that record.',
  // MX and PTR
  mxHostAddress: 'The MX host {{host}} needs its own A (and AAAA) record with the server\'s address; an MX must not point to a CNAME.',
  ptrAtOwner: 'The PTR of {{address}} must say {{host}}, and {{host}} must resolve back to {{address}} (forward-confirmed reverse DNS). Only the owner of the address (your ISP or hosting company) can set it: ask them. Gmail requires it, and Postfix\'s reject_unknown_client_hostname checks exactly this.',
  ptrNeedsHost: 'Give the mail host name (--mx HOST) to see what the PTR of {{addresses}} should say. The owner of the address (your ISP) sets it.',
  // ADSP
  adspRemove: '{{name}} ("{{value}}") is an ADSP record. ADSP was retired in 2013 (RFC 5617 is historic) and nothing reads it: delete it.',
  // Formats
  formatOutsideOrigin: '{{name}} belongs in the DNS of {{zone}}, not {{origin}}: it is shown as a comment.',
  formatAddressOwner: 'PTR records are set by the owner of the address, not in your domain\'s DNS: they are shown as comments.',
  formatRemove: 'Records to delete are shown as comments.',
  // What to do with each record, as comments in the text forms
  changeAdd: 'add (nothing is published there now)',
  changeKeep: 'keep (already published exactly so)',
  changeReplace: 'replace the published {{now}} with this',
  changeReplaceMany: 'replace: {{count}} records are published ({{now}}); they must become this one',
  changeConflict: 'conflict: published with another key ({{now}}); choose a new selector',
  changeDelete: 'delete',
  changeUnknown: 'cannot tell what is published now (no trustworthy answer): add, or replace what is there',
  publishedAnd: ' and ',
  zoneHeader: 'DNS records for {{domain}}, made by Homemail. TXT values are split into strings of at most 255 bytes.',
  zoneElsewhere: 'In the DNS of {{zone}} (ask its owner)',
  zoneAddressOwner: 'Set by the owner of the address (your ISP or hosting company), not in this zone:',
  zoneDelete: 'Delete these records:',
  valueElsewhere: 'in the DNS of {{zone}}, not {{domain}} (ask its owner):',
  presetElsewhere: 'In the DNS of {{zone}}, not {{origin}} (ask its owner)',
  presetAddressOwner: 'Ask the owner of the address (your ISP) to set: {{record}}',
  presetDelete: 'Delete: {{record}}',
  presetLeaveBlank: '(leave blank)',
  formatRrsetReplaced: 'This replaces every TXT value at {{name}}. If other TXT records live there (site verifications), add their values to the same record set first.',
  // Presets: how each provider's form takes the records
  presetCloudflare: 'Cloudflare dashboard, DNS › Records › Add record. Name: the part before your domain ("@" for the domain itself). Content: the value on one line; Cloudflare splits long values itself. TTL: Auto is fine.',
  presetRoute53: 'Amazon Route 53: save this change batch to a file and run aws route53 change-resource-record-sets --hosted-zone-id ZONE_ID --change-batch file://FILE. Long values are already split into quoted strings of at most 255 characters.',
  presetRoute53Console: 'In the Route 53 console instead: the record name without the domain (blank for the domain itself), and the value as the quoted strings shown, all in one record.',
  presetGoogleCloudDns: 'Google Cloud DNS console, Add standard: DNS name is the part before your zone (blank for the zone itself; "@" does not work). Paste the TXT data exactly as shown, with the quotes: a long value must be several quoted strings of at most 255 characters, or Google rejects it.',
  presetMydnsJp: 'mydns.jp, DOMAIN INFO: the host name is the part before your domain; enter the value without quotes. How mydns.jp takes values over 255 characters is not documented: if it refuses the DKIM value, enter it as the quoted strings from the zone format, and check the result with "homemail verify".',
  presetGenericRelative: 'For any DNS provider: the host name relative to your domain ("@" or blank for the domain itself), the type, and the value. Enter each as ONE record. If the form refuses a value over 255 characters, enter it as quoted strings of at most 255 characters ("…" "…"), never as several records.',
  presetSakura: 'Sakura Internet\'s domain panel accepts TXT values of at most 255 characters, and these are longer: {{names}}. A 2048-bit DKIM key does not fit. Use another DNS host for the domain, or a 1024-bit key with the RFC 8301 warning in mind.',
  presetSakuraFits: 'Sakura Internet\'s domain panel accepts TXT values of at most 255 characters; these records fit. How it names hosts is not documented: use the part before your domain, and check with "homemail verify".',
} as const;

export type RecordMessageKey = keyof typeof recordMessagesEn;
