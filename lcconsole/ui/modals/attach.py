"""AttachModal: a file path with filesystem completion, sent as a file or as an image."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.widgets import Input, Label, RadioButton, RadioSet

from lcconsole.ui.modals._base import FormModal, field_row
from lcconsole.ui.modals.answers import AttachRequest
from lcconsole.ui.modals.suggesters import PathSuggester
from lcconsole.ui.modals.validation import MAX_ATTACH_BYTES, check_attachment

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp"})


class AttachModal(FormModal[AttachRequest]):
    """`AttachModal(*, path="", as_image=None, cwd=None, max_bytes=MAX_ATTACH_BYTES)`.

    The path input completes files and directories (tab or → accepts, `~` understood; relative paths
    resolve against `cwd` or the process cwd). Missing files, directories and files over
    `max_bytes` are refused inline. `as_image` None picks "image" for image suffixes.
    Returns `AttachRequest(path: absolute Path, as_image)`.
    """

    TITLE_TEXT = "Attach a file"
    SUBMIT_LABEL = "Send"

    def __init__(
        self,
        *,
        path: str = "",
        as_image: bool | None = None,
        cwd: str | Path | None = None,
        max_bytes: int = MAX_ATTACH_BYTES,
    ) -> None:
        super().__init__(classes="lc-attach")
        self._path = path
        self._as_image = as_image
        self._cwd = Path(cwd) if cwd is not None else None
        self._max_bytes = max_bytes

    def compose_body(self) -> ComposeResult:
        yield field_row(
            "Path",
            Input(
                self._path,
                placeholder="~/path/to/file (tab completes)",
                suggester=PathSuggester(cwd=self._cwd),
                id="path",
                compact=True,
            ),
        )
        yield field_row(
            "Send as",
            RadioSet(
                RadioButton("file", value=True, id="as-file"),
                RadioButton("image (inline)", id="as-image"),
                id="send-as",
                compact=True,
            ),
        )
        yield Label(f"Files up to {self._max_bytes // 1048576} MB.", classes="lc-dialog-note")

    def after_mount(self) -> None:
        image = self._as_image
        if image is None:
            image = Path(self._path).suffix.lower() in IMAGE_SUFFIXES
        self.query_one("#as-image" if image else "#as-file", RadioButton).value = True

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "path" and self._as_image is None:
            image = Path(event.value).suffix.lower() in IMAGE_SUFFIXES
            self.query_one("#as-image" if image else "#as-file", RadioButton).value = True

    def build_result(self) -> AttachRequest:
        raw = self.query_one("#path", Input).value.strip()
        if raw and self._cwd is not None and not Path(raw).expanduser().is_absolute():
            raw = str(self._cwd / raw)
        path = check_attachment(raw, field="path", max_bytes=self._max_bytes)
        return AttachRequest(path=path, as_image=self.query_one("#as-image", RadioButton).value)
