<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="en_GB">
<context>
    <name>About</name>
    <message>
        <source>Watches a ward&apos;s printers, label printers, scanners and monitors, offline first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Licence: GPL-3.0-or-later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data folder: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Actions</name>
    <message>
        <source>Show &amp;activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show or hide the list of recent activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export device list as CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the devices shown in the table to a CSV file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close Wardfleet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search devices by name, IP, location, model, serial or MAC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy selected rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the selected devices as tab-separated text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change how Wardfleet looks and see where it keeps its files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload the device list from the local database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show &amp;details pane</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show or hide the details of the selected device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Full screen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the whole screen for Wardfleet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Poll now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask the selected device for its status now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Scan network…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Look for new devices on the configured networks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Mark as reviewed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear the New flag of the selected device after checking it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the details of the selected device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;User guide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the Wardfleet user guide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Wardfleet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version, licence and where Wardfleet keeps its files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version and licence of the Qt toolkit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SNMP &amp;credential sets…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Community strings and SNMPv3 users that scans try, in order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Hub connection…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where this desktop&apos;s hub is, its ward and its token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;ync now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send queued changes to the hub and fetch others&apos; changes now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit &amp;log…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes made from this desktop; check that none was altered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;hange settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply a profile or settings to the selected devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device p&amp;rofiles…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the saved settings profiles and who follows them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ActivityModel</name>
    <message>
        <source>New device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reachable again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert cleared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile drift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile check</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ActivityPanel</name>
    <message>
        <source>Activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Newest first. Press Enter on a line to show its device.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ActivityView</name>
    <message>
        <source>Nothing yet. Discoveries, state changes and scans will appear here.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AlertsModel</name>
    <message>
        <source>Critical</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supply low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waste container nearly full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not reachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paper jam</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Door open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out of paper</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device in error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supply runs out soon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cleared %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledged by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snoozed until %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Place</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IP address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Since</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raised</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Still open</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AlertsPanel</name>
    <message>
        <source>Alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show a&amp;lerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show open alerts and put the focus in their list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert lists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>O&amp;pen alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Histor&amp;y</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Most urgent first. Enter shows the device; Ctrl+K acknowledges.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Acknowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;nooze</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snooze</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snooze for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For &amp;1 hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For &amp;4 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Until tomorrow &amp;morning (08:00)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Un-snooze</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show devi&amp;ce</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show history of device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dev&amp;ice:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cleared and acknowledged alerts, newest first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No open alerts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open alerts: %1 · needing attention: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AuditView</name>
    <message>
        <source>Audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by user, action, device or result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter audit entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit log status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Verify chain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify the audit chain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the audit log as CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chain intact: %1 entries, none changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chain broken at entry %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported %1 entries to %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChoosePage</name>
    <message>
        <source>Ad-hoc settings (type them on the next page)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Profile:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Devices to change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Devices:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chosen devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>another kind: the profile is for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 devices chosen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Of another kind than the profile&apos;s: %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConformancePrefs</name>
    <message>
        <source>Profile conformance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check profile &amp;conformance every</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conformance check interval in hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Re-apply drifted settings automatically</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-apply drifted settings automatically</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Off by default. Re-applied settings are verified, rolled back on failure and audited; only a ward lead or an admin may re-apply.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CountsLabel</name>
    <message>
        <source>Devices: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Need attention: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unreachable: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>Wardfleet ran into a problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something went wrong that Wardfleet did not expect. Your data is safe: changes are saved as they happen. You can keep working; if the problem comes back, send the details below to your helpdesk.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No log file could be written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CredentialsDialog</name>
    <message>
        <source>SNMP credential sets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scans try these in order, top first. Community strings and keys are kept only in the operating system&apos;s keyring, never in Wardfleet&apos;s files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Credential sets:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credential sets, in try order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New credential set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove credential set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try earlier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Do&amp;wn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>N&amp;ame:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SNMP v2c (community)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SNMP v1 (community)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SNMP v3 (user)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Version:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SNMP version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Co&amp;mmunity:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Community string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SNMPv3 user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Us&amp;er:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Au&amp;thentication:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Authentication protocol</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Authentication &amp;key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Authentication key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Privacy:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Privacy protocol</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Privacy ke&amp;y:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Privacy key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save credential set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — SNMP v%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auth and privacy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no auth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — SNMP v3, user %2, %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unchanged: kept in the keyring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning: “%1” is a default community that anyone on the network may know. Prefer a community of your own, or SNMPv3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keyring is available, so nothing was saved. Wardfleet keeps SNMP community strings and keys only in the operating system&apos;s keyring, never in a plain file. Install or unlock a keyring (GNOME Keyring or KWallet on Linux, the Windows Credential Manager), then try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DeployDialog</name>
    <message>
        <source>Change device settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step 1 of 4: choose a profile and the devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step 2 of 4: the settings to send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step 3 of 4: check the planned changes (dry run)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step 4 of 4: applying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step 4 of 4: results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deploy status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credential</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planned changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deploy progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deploy results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Preview changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose at least one device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to change: fill in at least one setting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the current values…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes to apply: %1. Nothing has been changed yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A print queue will be set up here for: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You can see the plan, but your role (%1) may not apply changes: only a ward lead or an administrator may.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applying…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 done; %3: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Setting up print queues on this workstation…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>print queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling — undoing changes already made…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <source>Demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>state and reasons</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>scanner state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>supplies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paper trays</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>page count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>up time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device detail tabs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a device to see its details.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Identity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IP address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MAC address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serial number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vendor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Earlier addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seen by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device reports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last polled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Page count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Up for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Values from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supplies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paper trays</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New device: check it and mark it as reviewed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;oll now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Poll now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask the device for its status now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark as &amp;reviewed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark as reviewed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear the New flag once you have checked this device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Polling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (port %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (until %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not polled yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None reported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Critical</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DeviceGraphs</name>
    <message>
        <source>1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>24 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>7 d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>30 d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>90 d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device graphs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a device to see its graphs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Range:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save &amp;picture…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the graphs as a PNG picture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save &amp;values…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the graphs&apos; values as CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supplies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Left (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pages per day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pages/day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pages/day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response (ms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save graphs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG pictures (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save graph values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DeviceKind</name>
    <message>
        <source>Printer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label printer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MFD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scanner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Monitor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UPS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Multifunction device (MFD)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uninterruptible power supply (UPS)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DeviceReports</name>
    <message>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>testing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>printing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warming up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DeviceState</name>
    <message>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Busy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DeviceTableModel</name>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ward / location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IP address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vendor / model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supplies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (new)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New device: not reviewed yet</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DeviceTabs</name>
    <message>
        <source>Asking the printer…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking the scanner…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scanner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This tab could not open: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ErrorBits</name>
    <message>
        <source>Paper low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out of paper</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Toner low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out of toner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Door open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paper jam</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service requested</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input tray missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output tray missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Toner or ink missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output tray nearly full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output tray full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input tray empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Maintenance overdue</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IP address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MAC address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serial number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vendor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supplies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GraphPanel</name>
    <message>
        <source>Value under the pointer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show as table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show %1 as a table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Graph; use Show as table for the values as text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 as a table</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HubDialog</name>
    <message>
        <source>Hub connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The hub keeps the wards&apos; desktops in step. Without it this desktop works on its own and queues its changes. The token is kept only in the operating system&apos;s keyring.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hub &amp;address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hub address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. Ward 3 (empty for a helpdesk desktop)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Ward:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Token:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hub token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional: the hospital&apos;s CA, in PEM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CA file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a CA file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;CA file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test co&amp;nnection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The saved settings are not usable: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unchanged: kept in the keyring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the hospital&apos;s CA file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the settings: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the token your hub admin gave you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Testing the connection…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to the hub (version %1). The token is good: %2, role %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to the hub (version %1). The token is good.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong token: the hub did not accept it (mistyped or revoked). Ask a hub admin for a new one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The hub&apos;s certificate was not accepted. Check the address; if the hospital runs its own certificate authority, choose its CA file. (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The hub did not answer: %1. Check the address and the network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The token is good, but it does not give access to the ward “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The CA file cannot be used: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something answered, but it is not a Wardfleet hub (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The hub refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved. Connecting to the hub…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was saved: the hub token can only be kept in the operating system&apos;s keyring, and none is available. Install or unlock one (GNOME Keyring or KWallet on Linux, the Windows Credential Manager), then try again. (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ward lead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>helpdesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>admin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none (the hub refused the token)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role at the hub: not known yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role at the hub: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all wards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in as %1 · role: %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HubState</name>
    <message>
        <source>Hub not configured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline — changes are queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hub refused this desktop</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InsightDocks</name>
    <message>
        <source>Graphs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ward dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show &amp;graphs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show ward &amp;dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Wardfleet — demo ward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wardfleet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status bar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Devices and details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name, IP, location, model, serial or MAC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filters the list by name, IP, location, model, serial or MAC. Esc clears.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Search:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sho&amp;w:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One row per device. Press Enter to show its details.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the device list: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Polling %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not poll %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asked %1 for its status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied %1 rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export device list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported %1 devices to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asked the hub to sync now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Wardfleet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User guide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The user guide is the file docs/user-guide.md in the Wardfleet sources, and is installed with Wardfleet&apos;s documentation.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>Disk full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The disk is full, so Wardfleet could not save the latest change. Nothing already saved was lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Free some space on this computer, then try again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NameDelegate</name>
    <message>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>and %1 more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 new alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 new alerts: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show a&amp;lerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dis&amp;miss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide this message (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wardfleet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show &amp;Wardfleet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show &amp;alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wardfleet — alerts needing attention: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wardfleet — no alerts need attention</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colour scheme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Colour scheme:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show a &amp;desktop notification for new alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Desktop notifications for new alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show print &amp;job names on this desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show print job names on this desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job names may contain patient names. Only this desktop is affected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No log file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PrintTab</name>
    <message>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Aborted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load paper</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out of paper</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paper low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paper jam</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pausing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shut down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to the printer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not answering</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Toner low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Toner empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cover open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A door is open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paper tray missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output tray full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ink or toner low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ink or toner empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waste container almost full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waste container full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spool area full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh printer status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print &amp;test page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print a test page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause the printer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Res&amp;ume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume the printer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add to this PC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add this printer to this PC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show &amp;finished jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show finished jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the selected job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the jobs…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pages printed so far (0 while the job waits)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resumed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending a test page…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test page sent as job %1 (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job %1 cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adding the printer to this PC…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not add the printer to this PC: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added to this PC as %1, the default printer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printer state: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not accepting jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No problems reported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reasons: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printer message: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No jobs waiting, printing or finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No jobs waiting or printing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for your decision about the certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection blocked: the certificate changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not supported by this printer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The printer did not answer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The printer refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something went wrong: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProfileEditor</name>
    <message>
        <source>Device profiles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assigned to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profiles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Rename</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dele&amp;te…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why the profile cannot be saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>print queue on each workstation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ward %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (copy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the profile %1? Devices and wards that follow it will follow no profile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProfileForm</name>
    <message>
        <source>Any kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expert line problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deploy a print &amp;queue on this workstation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No wards yet: a ward is listed once a device reports it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Profile name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device &amp;kind:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SNMP sysName</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SNMP sysLocation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>N&amp;ame (sysName):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Location (sysLocation):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SNMP sysContact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Contact (sysContact):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IPP printer-l&amp;ocation:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IPP location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IPP printer-&amp;info:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IPP info</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Expert (OID = type:value):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expert SETs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deploy a print queue on this workstation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Devices that follow this profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticked: follows this profile. Empty: follows its ward&apos;s profile. Half-ticked: no profile at all, not even its ward&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wards that follow this profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign to &amp;devices:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign to &amp;wards:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave a field empty to keep what the device has. A device&apos;s own assignment wins over its ward&apos;s. Devices: ticked follows this profile; empty follows its ward&apos;s profile; half-ticked follows no profile at all, not even its ward&apos;s. Click or press Space to go round the three.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>another kind: will not follow this profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expert line %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the profile a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A profile called %1 exists already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill in at least one setting.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScanDialog</name>
    <message>
        <source>Scan network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wardfleet asks each address for SNMP, gently, and adds the devices that answer as New devices. They are watched from then on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 10.3.0.0/24, 10.3.1.5-40, printer.ward3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Addresses to scan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CIDR blocks, ranges, single addresses or host names, separated by commas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Addresses:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional, e.g. 10.3.0.1, 10.3.0.200-254</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Addresses to leave out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Leave out:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credentials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mana&amp;ge…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Manage SNMP credential sets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;redentials:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Community for this scan only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Used for this scan and kept in memory only, never saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Co&amp;mmunity (this scan only):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> packets/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packets per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Addresses asked at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UDP port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At &amp;once:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rat&amp;e:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UDP &amp;port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%v of %m addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Devices found:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Devices found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start scan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start scan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the scan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All saved credential sets, in order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A community for this scan only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning: “%1” is a default community. Anyone on the network can read devices that answer to it (or change them, with “private”). Set a community of your own on the devices, or use SNMPv3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These addresses cannot be scanned: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a community, or choose a saved credential set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scanning…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan stopped. Devices found so far: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot use the credentials: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan finished: %1 addresses asked, %2 devices answered, %3 of them new.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The scan failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScannerTab</name>
    <message>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scanning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Testing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped: needs attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out of service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feeding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Document feeder jam</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Document feeder cover open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Document feeder mis-pick</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Several sheets fed at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Aborted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colour (high depth)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Greyscale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Greyscale (high depth)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Black and white</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled at the scanner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled by the user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timed out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped by the scanner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Document feeder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make and model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serial number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scans from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colour modes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolutions (dpi)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File formats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent scan jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh scanner status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Age</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the jobs…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not reported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scanner state: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No problems reported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Glass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feeder, two-sided</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feeder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No recent scan jobs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection blocked: the certificate changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not answering</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The scanner did not answer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The scanner sent something unusable: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something went wrong: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SeriesTableModel</name>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>&amp;Move aside and start fresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot use the data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wardfleet cannot write to its data folder:
%1

Check that the folder exists, that your account may write to it and that its drive is connected. To use another folder, start Wardfleet with the environment variable WARDFLEET_DATA_DIR set to that folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The device database is damaged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wardfleet cannot read its database:
%1

You can move the damaged file aside and start with an empty database. The damaged file is kept under a new name, never deleted, so your helpdesk can try to recover it. Devices reappear with the next scan, and changes already sent to the hub are safe there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The disk is full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wardfleet could not open its database because the disk is full. Nothing was lost. Free some space on this computer, then choose Try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keyring available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wardfleet keeps the hub sign-in token in the system keyring, and no keyring service is available on this computer. Wardfleet keeps working and queues changes for the hub until this is fixed.

To fix it on Linux, install and unlock a Secret Service keyring (GNOME Keyring or KWallet), then sign in to the hub again. On Windows, the Credential Manager must be available. Wardfleet never stores the token in plain text.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StateFilter</name>
    <message>
        <source>All devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New (not reviewed)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Supplies</name>
    <message>
        <source>Black</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cyan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Magenta</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OK, level not reported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No limit reported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invalid reading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Level unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not polled yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No current reading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waste %1 full</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <source>Hub connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued changes: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last sync: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Texts</name>
    <message>
        <source>Not reported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Just now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 days ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Trays</name>
    <message>
        <source>empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>some paper, amount not reported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no limit reported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>invalid reading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>level unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tray %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrustBanner</name>
    <message>
        <source>&amp;Trust this certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trust this certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 uses an encrypted connection Wardfleet has not seen before. Compare this fingerprint with the one on the device&apos;s own page or display, then trust it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificate fingerprint (SHA-256)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WARNING: the certificate of %1 has CHANGED. The connection is blocked. If the device was replaced or reset, trust the new certificate; otherwise someone may be intercepting the connection. Pinned: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New certificate fingerprint (SHA-256)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Trust the new certificate</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WardDashboard</name>
    <message>
        <source>empty now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not being used up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not enough data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>less than a day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>~%1 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Place</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Available (7 days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no polls yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ward dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Ward:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show ward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All wards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supplies nearing empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Availability, last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
