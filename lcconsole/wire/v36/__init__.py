"""Agent Chat API v3.6: the version LiveChat serves today (see shared spec `v3.6-notes.md`).

Everything version-specific about v3.6 lives here: the action table (`actions`), request models
(`requests`) and push names (`pushes`). The emulator (`lcconsole.emulator.v36`) and, later, the
client use these modules; v3.0 stays in the modules one level up.
"""

VERSION = "3.6"
