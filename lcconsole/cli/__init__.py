"""Headless sub-commands (`lcconsole api`, `lcconsole pushes`)."""
