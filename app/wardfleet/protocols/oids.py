"""The OIDs Wardfleet reads, as tuples (numeric only: no MIB lookups at run time)."""

from __future__ import annotations

from wardfleet.protocols.snmp_types import Oid

# SNMPv2-MIB system group (RFC 3418)
SYS_DESCR: Oid = (1, 3, 6, 1, 2, 1, 1, 1, 0)
SYS_OBJECT_ID: Oid = (1, 3, 6, 1, 2, 1, 1, 2, 0)
SYS_UPTIME: Oid = (1, 3, 6, 1, 2, 1, 1, 3, 0)
SYS_CONTACT: Oid = (1, 3, 6, 1, 2, 1, 1, 4, 0)
SYS_NAME: Oid = (1, 3, 6, 1, 2, 1, 1, 5, 0)
SYS_LOCATION: Oid = (1, 3, 6, 1, 2, 1, 1, 6, 0)

# IF-MIB
IF_PHYS_ADDRESS: Oid = (1, 3, 6, 1, 2, 1, 2, 2, 1, 6)

# UPS-MIB (RFC 1628): presence marks a UPS
UPS_MIB: Oid = (1, 3, 6, 1, 2, 1, 33)

# ENTITY-MIB (RFC 6933) entPhysicalTable: monitors, switches and UPS cards put the
# serial of their chassis entry (entPhysicalClass 3) here.
ENT_PHYSICAL_CLASS: Oid = (1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1, 5)
ENT_PHYSICAL_SERIAL: Oid = (1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1, 11)
ENT_CLASS_CHASSIS = 3

# HOST-RESOURCES-MIB (RFC 2790)
HR_DEVICE_ENTRY: Oid = (1, 3, 6, 1, 2, 1, 25, 3, 2, 1)
HR_DEVICE_INDEX: Oid = (*HR_DEVICE_ENTRY, 1)
HR_DEVICE_TYPE: Oid = (*HR_DEVICE_ENTRY, 2)
HR_DEVICE_DESCR: Oid = (*HR_DEVICE_ENTRY, 3)
HR_DEVICE_STATUS: Oid = (*HR_DEVICE_ENTRY, 5)
HR_PRINTER_STATUS: Oid = (1, 3, 6, 1, 2, 1, 25, 3, 5, 1, 1)
HR_PRINTER_ERROR_STATE: Oid = (1, 3, 6, 1, 2, 1, 25, 3, 5, 1, 2)
HR_DEVICE_TYPES: Oid = (1, 3, 6, 1, 2, 1, 25, 3, 1)

# Printer-MIB (RFC 3805)
PRINTER_MIB: Oid = (1, 3, 6, 1, 2, 1, 43)
PRT_GENERAL_SERIAL: Oid = (1, 3, 6, 1, 2, 1, 43, 5, 1, 1, 17, 1)
PRT_INPUT_ENTRY: Oid = (1, 3, 6, 1, 2, 1, 43, 8, 2, 1)
PRT_MARKER_LIFE_COUNT: Oid = (1, 3, 6, 1, 2, 1, 43, 10, 2, 1, 4)
PRT_SUPPLIES_ENTRY: Oid = (1, 3, 6, 1, 2, 1, 43, 11, 1, 1)
PRT_COLORANT_VALUE: Oid = (1, 3, 6, 1, 2, 1, 43, 12, 1, 1, 4)
PRT_ALERT_ENTRY: Oid = (1, 3, 6, 1, 2, 1, 43, 18, 1, 1)

# prtMarkerSuppliesEntry columns
SUP_COLORANT, SUP_CLASS, SUP_TYPE, SUP_DESCR, SUP_UNIT, SUP_MAX, SUP_LEVEL = 3, 4, 5, 6, 7, 8, 9
# prtInputEntry columns
IN_MAX, IN_LEVEL, IN_NAME = 9, 10, 13
# prtAlertEntry columns
AL_SEVERITY, AL_GROUP, AL_CODE, AL_DESCR = 2, 4, 7, 8

# Vendor serial / model OIDs worth one varbind each in the identify GET.
VENDOR_SERIALS: tuple[Oid, ...] = (
    (1, 3, 6, 1, 4, 1, 2435, 2, 3, 9, 4, 2, 1, 5, 5, 1, 0),  # Brother BROTHER-MIB
    (1, 3, 6, 1, 4, 1, 1347, 43, 5, 1, 1, 28, 1),  # Kyocera and its OEM brands
    (1, 3, 6, 1, 4, 1, 367, 3, 2, 1, 2, 1, 4, 0),  # Ricoh and its OEM brands
    (1, 3, 6, 1, 4, 1, 1248, 1, 1, 3, 1, 1, 1, 0),  # Epson scan servers
    (1, 3, 6, 1, 4, 1, 683, 1, 5, 0),  # ZebraNet print servers (Extended Systems)
    (1, 3, 6, 1, 4, 1, 318, 1, 1, 1, 1, 2, 3, 0),  # APC PowerNet upsAdvIdentSerialNumber
)
VENDOR_MODELS: tuple[Oid, ...] = (
    (1, 3, 6, 1, 4, 1, 1347, 43, 5, 1, 1, 1, 1),  # Kyocera
    # APC PowerNet upsBasicIdentModel: sysDescr names the management card, not the UPS.
    (1, 3, 6, 1, 4, 1, 318, 1, 1, 1, 1, 1, 1, 0),
)
