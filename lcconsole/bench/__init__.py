"""`lcconsole bench`: speed and scale figures measured against the goals of the bench issue.

Every scenario runs in fresh subprocesses (see `runner`); `scenarios` is the registry.
"""
