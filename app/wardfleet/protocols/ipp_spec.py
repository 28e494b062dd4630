"""IPP numbers and their meaning in words: operations, status codes, states, reasons.

RFC 8011 and the PWG registry; the words are for ward staff, so "Paper jam", not
"media-jam-error".
"""

from __future__ import annotations

from enum import IntEnum

from wardfleet.domain.kinds import DeviceState
from wardfleet.domain.status import Severity


class Op(IntEnum):
    PRINT_JOB = 0x0002
    VALIDATE_JOB = 0x0004
    CREATE_JOB = 0x0005
    SEND_DOCUMENT = 0x0006
    CANCEL_JOB = 0x0008
    GET_JOB_ATTRIBUTES = 0x0009
    GET_JOBS = 0x000A
    GET_PRINTER_ATTRIBUTES = 0x000B
    HOLD_JOB = 0x000C
    RELEASE_JOB = 0x000D
    PAUSE_PRINTER = 0x0010
    RESUME_PRINTER = 0x0011
    SET_PRINTER_ATTRIBUTES = 0x0013
    IDENTIFY_PRINTER = 0x003C
    CUPS_GET_PRINTERS = 0x4002
    CUPS_ADD_MODIFY_PRINTER = 0x4003
    CUPS_DELETE_PRINTER = 0x4004


def operation_name(code: int) -> str:
    try:
        return Op(code).name.replace("_", "-").title().replace("Cups", "CUPS")
    except ValueError:
        return f"operation 0x{code:04x}"


# code: (keyword, words)
STATUS: dict[int, tuple[str, str]] = {
    0x0000: ("successful-ok", "done"),
    0x0001: ("successful-ok-ignored-or-substituted-attributes", "done, some settings ignored"),
    0x0002: ("successful-ok-conflicting-attributes", "done, some settings conflicted"),
    0x0400: ("client-error-bad-request", "the printer did not understand the request"),
    0x0401: ("client-error-forbidden", "the printer refuses this request"),
    0x0402: ("client-error-not-authenticated", "the printer wants a user name and password"),
    0x0403: ("client-error-not-authorized", "this user is not allowed to do that"),
    0x0404: ("client-error-not-possible", "not possible in the printer's current state"),
    0x0405: ("client-error-timeout", "the printer gave up waiting for us"),
    0x0406: ("client-error-not-found", "no such printer or job"),
    0x0407: ("client-error-gone", "that job or printer is gone"),
    0x0408: ("client-error-request-entity-too-large", "the document is too large"),
    0x0409: ("client-error-request-value-too-long", "a value was too long for the printer"),
    0x040A: ("client-error-document-format-not-supported", "the printer cannot print this format"),
    0x040B: ("client-error-attributes-or-values-not-supported", "a setting is not supported"),
    0x040C: ("client-error-uri-scheme-not-supported", "the printer does not take this address"),
    0x040D: ("client-error-charset-not-supported", "the printer does not take UTF-8"),
    0x040E: ("client-error-conflicting-attributes", "settings conflict with each other"),
    0x040F: ("client-error-compression-not-supported", "the printer cannot decompress this"),
    0x0410: ("client-error-compression-error", "the document was damaged in compression"),
    0x0411: ("client-error-document-format-error", "the printer could not read the document"),
    0x0412: ("client-error-document-access-error", "the printer could not fetch the document"),
    0x0413: ("client-error-attributes-not-settable", "the printer does not let that be changed"),
    0x0418: ("client-error-document-password-error", "the document needs a password"),
    0x0419: ("client-error-document-permission-error", "the document may not be printed"),
    0x041A: ("client-error-document-security-error", "the document's security is not accepted"),
    0x041B: ("client-error-document-unprintable-error", "the document cannot be printed"),
    0x041C: ("client-error-account-info-needed", "the printer needs account details"),
    0x041D: ("client-error-account-closed", "the print account is closed"),
    0x041E: ("client-error-account-limit-reached", "the print account's limit is reached"),
    0x041F: ("client-error-account-authorization-failed", "the print account was refused"),
    0x0500: ("server-error-internal-error", "the printer had an internal error"),
    0x0501: ("server-error-operation-not-supported", "not supported by this printer"),
    0x0502: ("server-error-service-unavailable", "the printer's service is unavailable"),
    0x0503: ("server-error-version-not-supported", "the printer does not speak IPP/2.0"),
    0x0504: ("server-error-device-error", "the printer reports a device error"),
    0x0505: ("server-error-temporary-error", "a temporary error: try again shortly"),
    0x0506: ("server-error-not-accepting-jobs", "the printer is not accepting jobs"),
    0x0507: ("server-error-busy", "the printer is busy: try again shortly"),
    0x0508: ("server-error-job-canceled", "the job was cancelled"),
    0x0509: ("server-error-multiple-document-jobs-not-supported", "one document per job only"),
    0x050A: ("server-error-printer-is-deactivated", "the printer is deactivated"),
    0x050B: ("server-error-too-many-jobs", "the printer has too many jobs"),
    0x050C: ("server-error-too-many-documents", "the job has too many documents"),
}

NOT_SUPPORTED_CODES = frozenset({0x0501, 0x0413, 0x040B})


def status_keyword(code: int) -> str:
    return STATUS.get(code, (f"status-0x{code:04x}", ""))[0]


def status_words(code: int) -> str:
    known = STATUS.get(code)
    if known:
        return known[1]
    if code < 0x0100:
        return "done"
    if 0x0400 <= code < 0x0500:
        return f"the printer refused the request (status 0x{code:04x})"
    if 0x0500 <= code < 0x0600:
        return f"the printer failed to do it (status 0x{code:04x})"
    return f"unexpected status 0x{code:04x}"


def is_success(code: int) -> bool:
    return code < 0x0100


# --- printer state -------------------------------------------------------------------------

PRINTER_STATES = {3: "idle", 4: "processing", 5: "stopped"}
JOB_STATES = {
    3: "pending",
    4: "pending-held",
    5: "processing",
    6: "processing-stopped",
    7: "canceled",
    8: "aborted",
    9: "completed",
}
JOB_STATE_WORDS = {
    3: "Waiting",
    4: "Held",
    5: "Printing",
    6: "Stopped",
    7: "Cancelled",
    8: "Aborted",
    9: "Printed",
}
ACTIVE_JOB_STATES = frozenset({3, 4, 5, 6})

# Reasons without a suffix are errors (RFC 8011 §5.4.12) except these, which are routine.
_ROUTINE = {
    "none": Severity.INFO,
    "paused": Severity.WARNING,
    "moving-to-paused": Severity.INFO,
    "connecting-to-device": Severity.INFO,
    "identify-printer-requested": Severity.INFO,
    "printer-restarted": Severity.INFO,
    "printer-shutdown": Severity.WARNING,
    "stopping": Severity.WARNING,
    "spool-area-full": Severity.WARNING,
    "toner-low": Severity.WARNING,
    "media-low": Severity.WARNING,
    "marker-supply-low": Severity.WARNING,
    "marker-waste-almost-full": Severity.WARNING,
    "output-area-almost-full": Severity.WARNING,
    "developer-low": Severity.WARNING,
    "opc-near-eol": Severity.WARNING,
    "deactivated": Severity.WARNING,
}

REASON_WORDS = {
    "other": "Needs attention",
    "media-needed": "Load paper",
    "media-empty": "Out of paper",
    "media-low": "Paper low",
    "media-jam": "Paper jam",
    "paused": "Paused",
    "moving-to-paused": "Pausing",
    "shutdown": "Shut down",
    "connecting-to-device": "Connecting to the printer",
    "timed-out": "Not answering",
    "stopping": "Stopping",
    "stopped-partly": "Partly stopped",
    "toner-low": "Toner low",
    "toner-empty": "Toner empty",
    "spool-area-full": "Spool area full",
    "cover-open": "Cover open",
    "door-open": "A door is open",
    "interlock-open": "An interlock is open",
    "input-tray-missing": "Paper tray missing",
    "output-tray-missing": "Output tray missing",
    "output-area-almost-full": "Output tray almost full",
    "output-area-full": "Output tray full",
    "marker-supply-low": "Ink or toner low",
    "marker-supply-empty": "Ink or toner empty",
    "marker-waste-almost-full": "Waste container almost full",
    "marker-waste-full": "Waste container full",
    "fuser-over-temp": "Fuser too hot",
    "fuser-under-temp": "Fuser warming up",
    "opc-near-eol": "Drum nearly worn out",
    "opc-life-over": "Drum worn out",
    "developer-low": "Developer low",
    "developer-empty": "Developer empty",
    "interpreter-resource-unavailable": "The printer ran out of memory for a job",
    "offline": "Offline",
    "printer-restarted": "Restarted",
    "printer-shutdown": "Shutting down",
    "identify-printer-requested": "Identify requested",
    "deactivated": "Deactivated",
    "hold-new-jobs": "Holding new jobs",
}

_SUFFIXES = {"-error": Severity.CRITICAL, "-warning": Severity.WARNING, "-report": Severity.INFO}


def split_reason(reason: str) -> tuple[str, Severity]:
    """``media-jam-error`` → (``media-jam``, CRITICAL); no suffix follows the RFC's rule."""
    for suffix, severity in _SUFFIXES.items():
        if reason.endswith(suffix):
            return reason[: -len(suffix)], severity
    return reason, _ROUTINE.get(reason, Severity.CRITICAL)


def reason_words(reason: str) -> str:
    base, _ = split_reason(reason)
    if base in REASON_WORDS:
        return REASON_WORDS[base]
    return base.replace("-", " ").capitalize()


def overall_state(printer_state: int | None, severities: list[Severity]) -> DeviceState:
    """One DeviceState from printer-state and the worst reason."""
    if printer_state not in PRINTER_STATES:
        return DeviceState.UNKNOWN
    if Severity.CRITICAL in severities:
        return DeviceState.ERROR
    if printer_state == 5 or Severity.WARNING in severities:
        # Stopped with only routine reasons (paused by a person): look, but no alarm.
        return DeviceState.WARNING
    return DeviceState.BUSY if printer_state == 4 else DeviceState.OK
