"""The main window's QActions and menus: text, status tip, standard shortcuts."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenuBar, QWidget

StandardKey = QKeySequence.StandardKey
translate = QCoreApplication.translate


def shortcuts(standard: StandardKey | None, fallback: str | None = None) -> list[QKeySequence]:
    """The platform's standard keys, or ``fallback`` where the platform defines none
    (Quit and Preferences are empty on some platforms)."""
    keys = QKeySequence.keyBindings(standard) if standard is not None else []
    if not keys and fallback:
        keys = [QKeySequence(fallback)]
    return keys


def make_action(
    parent: QWidget,
    text: str,
    status_tip: str,
    *,
    standard: StandardKey | None = None,
    fallback: str | None = None,
    icon: QIcon | None = None,
    checkable: bool = False,
    name: str = "",
) -> QAction:
    action = QAction(text, parent)
    action.setStatusTip(status_tip)
    action.setToolTip(status_tip)
    keys = shortcuts(standard, fallback)
    if keys:
        action.setShortcuts(keys)
    if icon is not None:
        action.setIcon(icon)
    action.setCheckable(checkable)
    if name:
        action.setObjectName(name)
    return action


@dataclass
class MainActions:
    export_csv: QAction
    quit: QAction
    find: QAction
    copy_rows: QAction
    preferences: QAction
    refresh: QAction
    toggle_detail: QAction
    toggle_activity: QAction
    full_screen: QAction
    poll_now: QAction
    scan: QAction
    acknowledge: QAction
    open_details: QAction
    user_guide: QAction
    about: QAction
    about_qt: QAction
    credentials: QAction
    hub_settings: QAction
    sync_now: QAction
    audit_log: QAction
    deploy: QAction
    profiles: QAction

    def all(self) -> list[QAction]:
        return [getattr(self, name) for name in self.__dataclass_fields__]


def build_actions(window: QMainWindow, toggle_activity: QAction) -> MainActions:
    """``toggle_activity`` is the activity dock's own toggle action, given words here."""
    toggle_activity.setText(translate("Actions", "Show &activity"))
    toggle_activity.setStatusTip(translate("Actions", "Show or hide the list of recent activity"))
    toggle_activity.setShortcut(QKeySequence("Ctrl+Shift+A"))
    toggle_activity.setObjectName("toggleActivity")
    return MainActions(
        export_csv=make_action(
            window,
            translate("Actions", "&Export device list as CSV…"),
            translate("Actions", "Save the devices shown in the table to a CSV file"),
            fallback="Ctrl+E",
            name="exportCsv",
        ),
        quit=make_action(
            window,
            translate("Actions", "&Quit"),
            translate("Actions", "Close Wardfleet"),
            standard=StandardKey.Quit,
            fallback="Ctrl+Q",
            name="quit",
        ),
        find=make_action(
            window,
            translate("Actions", "&Find…"),
            translate("Actions", "Search devices by name, IP, location, model, serial or MAC"),
            standard=StandardKey.Find,
            fallback="Ctrl+F",
            name="find",
        ),
        copy_rows=make_action(
            window,
            translate("Actions", "&Copy selected rows"),
            translate("Actions", "Copy the selected devices as tab-separated text"),
            standard=StandardKey.Copy,
            fallback="Ctrl+C",
            name="copyRows",
        ),
        preferences=make_action(
            window,
            translate("Actions", "&Preferences…"),
            translate("Actions", "Change how Wardfleet looks and see where it keeps its files"),
            standard=StandardKey.Preferences,
            fallback="Ctrl+,",
            name="preferences",
        ),
        refresh=make_action(
            window,
            translate("Actions", "&Refresh"),
            translate("Actions", "Reload the device list from the local database"),
            standard=StandardKey.Refresh,
            fallback="F5",
            name="refresh",
        ),
        toggle_detail=make_action(
            window,
            translate("Actions", "Show &details pane"),
            translate("Actions", "Show or hide the details of the selected device"),
            fallback="Ctrl+Shift+D",
            checkable=True,
            name="toggleDetail",
        ),
        toggle_activity=toggle_activity,
        full_screen=make_action(
            window,
            translate("Actions", "&Full screen"),
            translate("Actions", "Use the whole screen for Wardfleet"),
            standard=StandardKey.FullScreen,
            fallback="F11",
            checkable=True,
            name="fullScreen",
        ),
        poll_now=make_action(
            window,
            translate("Actions", "&Poll now"),
            translate("Actions", "Ask the selected device for its status now"),
            fallback="Ctrl+R",
            name="pollNow",
        ),
        scan=make_action(
            window,
            translate("Actions", "&Scan network…"),
            translate("Actions", "Look for new devices on the configured networks"),
            fallback="Ctrl+Shift+R",
            name="scan",
        ),
        acknowledge=make_action(
            window,
            translate("Actions", "&Mark as reviewed"),
            translate("Actions", "Clear the New flag of the selected device after checking it"),
            fallback="Ctrl+M",
            name="acknowledge",
        ),
        open_details=make_action(
            window,
            translate("Actions", "&Open details"),
            translate("Actions", "Show the details of the selected device"),
            name="openDetails",
        ),
        user_guide=make_action(
            window,
            translate("Actions", "&User guide"),
            translate("Actions", "Open the Wardfleet user guide"),
            standard=StandardKey.HelpContents,
            fallback="F1",
            name="userGuide",
        ),
        about=make_action(
            window,
            translate("Actions", "&About Wardfleet"),
            translate("Actions", "Version, licence and where Wardfleet keeps its files"),
            name="about",
        ),
        about_qt=make_action(
            window,
            translate("Actions", "About &Qt"),
            translate("Actions", "Version and licence of the Qt toolkit"),
            name="aboutQt",
        ),
        credentials=make_action(
            window,
            translate("Actions", "SNMP &credential sets…"),
            translate("Actions", "Community strings and SNMPv3 users that scans try, in order"),
            name="credentials",
        ),
        hub_settings=make_action(
            window,
            translate("Actions", "&Hub connection…"),
            translate("Actions", "Where this desktop's hub is, its ward and its token"),
            name="hubSettings",
        ),
        sync_now=make_action(
            window,
            translate("Actions", "S&ync now"),
            translate("Actions", "Send queued changes to the hub and fetch others' changes now"),
            fallback="Ctrl+Shift+S",
            name="syncNow",
        ),
        audit_log=make_action(
            window,
            translate("Actions", "Audit &log…"),
            translate("Actions", "Changes made from this desktop; check that none was altered"),
            name="auditLog",
        ),
        deploy=make_action(
            window,
            translate("Actions", "C&hange settings…"),
            translate("Actions", "Apply a profile or settings to the selected devices"),
            name="deploy",
        ),
        profiles=make_action(
            window,
            translate("Actions", "Device p&rofiles…"),
            translate("Actions", "Edit the saved settings profiles and who follows them"),
            name="profiles",
        ),
    )


def build_menus(window: QMainWindow, actions: MainActions) -> QMenuBar:
    bar = window.menuBar()
    file_menu = bar.addMenu(translate("Actions", "&File"))
    file_menu.addAction(actions.export_csv)
    file_menu.addSeparator()
    file_menu.addAction(actions.hub_settings)
    file_menu.addAction(actions.sync_now)
    file_menu.addSeparator()
    file_menu.addAction(actions.quit)

    edit_menu = bar.addMenu(translate("Actions", "&Edit"))
    edit_menu.addAction(actions.find)
    edit_menu.addAction(actions.copy_rows)
    edit_menu.addSeparator()
    edit_menu.addAction(actions.preferences)

    view_menu = bar.addMenu(translate("Actions", "&View"))
    view_menu.addAction(actions.refresh)
    view_menu.addSeparator()
    view_menu.addAction(actions.toggle_detail)
    view_menu.addAction(actions.toggle_activity)
    view_menu.addSeparator()
    view_menu.addAction(actions.full_screen)

    devices_menu = bar.addMenu(translate("Actions", "&Devices"))
    devices_menu.addAction(actions.open_details)
    devices_menu.addAction(actions.poll_now)
    devices_menu.addAction(actions.acknowledge)
    devices_menu.addSeparator()
    devices_menu.addAction(actions.scan)
    devices_menu.addAction(actions.credentials)
    devices_menu.addSeparator()
    devices_menu.addAction(actions.deploy)
    devices_menu.addAction(actions.profiles)
    devices_menu.addAction(actions.audit_log)

    help_menu = bar.addMenu(translate("Actions", "&Help"))
    help_menu.addAction(actions.user_guide)
    help_menu.addSeparator()
    help_menu.addAction(actions.about)
    help_menu.addAction(actions.about_qt)
    for menu in (file_menu, edit_menu, view_menu, devices_menu, help_menu):
        menu.setAccessibleName(menu.title().replace("&", ""))
    return bar
