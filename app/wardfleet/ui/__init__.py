"""The desktop UI: the only package that imports PySide6, qasync or pyqtgraph.

Import ``wardfleet.ui.app.run_gui`` to start it; nothing is imported here so that
``import wardfleet.ui.options`` stays cheap for the CLI.
"""
