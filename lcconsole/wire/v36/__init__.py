"""Agent Chat API v3.6: the version LiveChat serves today (see docs/v3.6-notes.md).

Everything version-specific about v3.6 lives here: the action table (`actions`), request models
(`requests`, `events`), the objects and response models (`responses`), push names (`pushes`) and
typed push models with the disconnect rules (`push_models`). The emulator (`lcconsole.emulator.v36`)
and the client (`lcconsole.api.v36`, `lcconsole.rtm` through `wire.dialects.V36`) use these modules;
v3.0 stays in the modules one level up.
"""

VERSION = "3.6"
