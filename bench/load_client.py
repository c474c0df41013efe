"""A dashboard session as a browser holds it, over Streamlit's own websocket protocol.

What the browser does, and so what this does: fetch the page (the proxy answers with its
sticky cookie, Streamlit with its XSRF cookie), open ``/_stcore/stream`` with those
cookies, then send ``BackMsg.rerun_script`` (the page to run and the widgets' values)
and read ``ForwardMsg``s until ``script_finished``. The messages are the protobufs the
streamlit package ships, so nothing of the protocol is written here by hand. Widgets
are found by their label in the elements a run sent, as a person finds them on screen.
No JavaScript runs and nothing is drawn: the server does all the work it would do for
a browser, and the client stays light enough to share two cores with it.
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

XSRF_COOKIE = "_streamlit_xsrf"
RUN_SECONDS = 120.0
FINISHED = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")
FOR_RERUN = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")
ALERT_ERROR = 1
"""``Alert.Format.ERROR``: a red box (``st.error``)."""


class SessionFailed(RuntimeError):
    """The server closed the session, did not finish a run in time or showed an error."""


@dataclass
class Run:
    """One script run as the browser saw it: how long, which widgets, which errors."""

    seconds: float = 0.0
    widgets: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)
    headings: list[str] = field(default_factory=list)


def _read_element(run: Run, message: ForwardMsg) -> None:
    element = message.delta.new_element
    kind = element.WhichOneof("type")
    if kind is None:
        return
    body = getattr(element, kind)
    if kind == "exception":
        run.errors.append(f"exception: {body.type}: {body.message}"[:200])
    elif kind == "alert" and body.format == ALERT_ERROR:
        run.errors.append(f"error box: {body.body}"[:200])
    elif kind == "heading":
        run.headings.append(body.body)
    elif getattr(body, "id", "") and getattr(body, "label", ""):
        run.widgets.setdefault(body.label, body.id)


class Session:
    """One signed-in (or signing-in) browser session through ``base``."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies: dict[str, str] = {}
        self.pages: dict[str, str] = {}
        self._socket: ClientConnection | None = None

    @property
    def server(self) -> str:
        """The proxy's name for the server holding this session (its sticky cookie)."""
        from compliance.serving_config import COOKIE

        return self.cookies.get(COOKIE, "?")

    def _first_request(self) -> None:
        with urllib.request.urlopen(f"{self.base}/", timeout=30) as reply:
            for header in reply.headers.get_all("Set-Cookie") or []:
                parsed = SimpleCookie()
                parsed.load(header)
                self.cookies.update({name: morsel.value for name, morsel in parsed.items()})

    async def open(self) -> Run:
        """Load the page and open its websocket; the first run (the sign-in form)."""
        await asyncio.to_thread(self._first_request)
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        token = self.cookies.get(XSRF_COOKIE)
        self._socket = await connect(
            self.base.replace("http", "ws", 1) + "/_stcore/stream",
            subprotocols=["streamlit", *([token] if token else [])],
            additional_headers={"Cookie": cookie}, origin=self.base,
            max_size=None, open_timeout=60, compression=None,
        )
        return await self.run("")

    async def run(self, page: str, widgets: dict[str, object] | None = None) -> Run:
        """Run ``page`` (its script hash; "" for the current one) with these widget values."""
        message = BackMsg()
        message.rerun_script.page_script_hash = page
        for widget, value in (widgets or {}).items():
            state = WidgetState(id=widget)
            if value is True:
                state.trigger_value = True
            else:
                state.string_value = str(value)
            message.rerun_script.widget_states.widgets.append(state)
        started = time.perf_counter()
        await self._socket.send(message.SerializeToString())
        run = Run()
        while True:
            try:
                raw = await asyncio.wait_for(self._socket.recv(), RUN_SECONDS)
            except TimeoutError:
                raise SessionFailed(f"no end of the run in {RUN_SECONDS:.0f} s") from None
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                _read_element(run, forward)
            elif kind == "navigation":
                run.pages = {p.page_name: p.page_script_hash for p in forward.navigation.app_pages}
                self.pages = run.pages
            elif kind == "script_finished" and forward.script_finished == FOR_RERUN:
                run = Run(pages=run.pages)
            elif kind == "script_finished":
                run.seconds = time.perf_counter() - started
                if forward.script_finished != FINISHED:
                    run.errors.append(f"script finished with status {forward.script_finished}")
                return run

    async def sign_in(self, name: str, password: str) -> Run:
        """Fill the sign-in form and submit it; the run that shows the first page."""
        form = await self.open()
        try:
            values = {form.widgets["User name"]: name, form.widgets["Password"]: password,
                      form.widgets["Sign in"]: True}
        except KeyError as missing:
            raise SessionFailed(f"no {missing} on the sign-in page") from None
        shown = await self.run("", values)
        if "Overview" not in shown.pages:
            raise SessionFailed(f"not signed in: {shown.errors or shown.headings}")
        return shown

    async def open_page(self, title: str, widgets: dict[str, object] | None = None) -> Run:
        return await self.run(self.pages[title], widgets)

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
