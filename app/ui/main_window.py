"""The main window: a starting page, the login screen or the workspace, and a status bar
that always says whether the homeserver is reachable."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.text import isolate
from app.services.notices import (
    Connection,
    ConnectionChanged,
    EventsArrived,
    InvitationsChanged,
    LoggedIn,
    LoginNeeded,
    OutboxChanged,
    Problem,
    RoomLoaded,
    RoomsChanged,
    RosterChanged,
)
from app.ui.bridge import Bridge
from app.ui.dashboard_controller import DashboardController
from app.ui.exercise_bar import ExerciseBar
from app.ui.instructions_controller import InstructionsController
from app.ui.login_view import LoginView
from app.ui.new_room_dialog import NewRoomDialog
from app.ui.recovery_controller import RecoveryController
from app.ui.session_menu import SessionMenu
from app.ui.texts import fill
from app.ui.timeline_controller import TimelineController
from app.ui.workspace_view import WorkspaceView


class StartingPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self.tr("Starting…"))
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        busy = QProgressBar()
        busy.setRange(0, 0)  # indeterminate: Synapse does not report progress
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.label)
        layout.addWidget(busy)
        layout.addStretch(1)


class MainWindow(QMainWindow):
    """Applies the bridge's notices; asks the bridge for everything the user does."""

    def __init__(self, bridge: Bridge) -> None:
        super().__init__()
        self.bridge = bridge
        self.user_id = ""
        self.problems: list[Problem] = []  # shown in the status bar, kept for the session
        self.setWindowTitle(self.tr("Open Operations Room"))
        self.resize(1000, 680)

        self.starting = StartingPage()
        self.login = LoginView()
        self.workspace = WorkspaceView()
        self._login_page = QWidget()  # keeps the form narrow and centred on wide screens
        QVBoxLayout(self._login_page).addWidget(self.login, 0, Qt.AlignmentFlag.AlignHCenter)
        self.pages = QStackedWidget()
        for page in (self.starting, self._login_page, self.workspace):
            self.pages.addWidget(page)
        self.setCentralWidget(self.pages)

        self.connection = QLabel()
        self.connection.setObjectName("connectionState")
        self.who = QLabel()
        self.statusBar().addPermanentWidget(self.who)
        self.statusBar().addPermanentWidget(self.connection)
        self._build_menu()
        self.session_menu = SessionMenu(self)
        self._wire()
        self.instructions = InstructionsController(self)  # after _wire: rosters applied first
        self.recovery = RecoveryController(self)  # after instructions: its "restore" link
        self.exercise_bar = ExerciseBar(self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.exercise_bar)
        self.dashboard = DashboardController(self)
        self.timeline_controller = TimelineController(self)
        self.on_connection(ConnectionChanged(Connection.STARTING))

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&Room"))
        self.new_room_action = QAction(self.tr("&New encrypted room…"), self)
        self.new_room_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_room_action.setEnabled(False)
        self.new_room_action.triggered.connect(self._new_room)
        menu.addAction(self.new_room_action)
        self.sign_out_action = QAction(self.tr("Sign &out"), self)
        self.sign_out_action.setEnabled(False)
        self.sign_out_action.triggered.connect(self.bridge.logout)
        menu.addAction(self.sign_out_action)
        menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)

    def _wire(self) -> None:
        b = self.bridge
        b.connectionChanged.connect(self.on_connection)
        b.loginNeeded.connect(self.on_login_needed)
        b.loggedIn.connect(self.on_logged_in)
        b.roomsChanged.connect(self.on_rooms)
        b.roomLoaded.connect(self.on_room_loaded)
        b.eventsArrived.connect(self.on_events)
        b.outboxChanged.connect(self.on_outbox)
        b.problem.connect(self.on_problem)
        b.invitationsChanged.connect(self.on_invitations)
        b.rosterChanged.connect(self.on_roster)
        self.workspace.invitations.joinRequested.connect(b.join)
        self.workspace.participants.rosterShown.connect(
            lambda roster: self.session_menu.enable_for(bool(self.user_id), roster)
        )
        self.login.submitted.connect(b.login)
        self.workspace.roomOpened.connect(b.open_room)
        self.workspace.sendRequested.connect(b.send_text)
        self.workspace.retryRequested.connect(b.retry)

    # -- notices -------------------------------------------------------------------------

    @Slot(object)
    def on_connection(self, notice: ConnectionChanged) -> None:
        texts = {
            Connection.STARTING: self.tr("Starting…"),
            Connection.CONNECTING: self.tr("Connecting…"),
            Connection.ONLINE: self.tr("Connected"),
            Connection.OFFLINE: fill(
                self.tr("Offline: retrying in %1 s"), f"{notice.retry_in:.0f}"
            ),
        }
        self.connection.setText(texts[notice.state])
        self.connection.setToolTip(notice.detail)
        self.connection.setProperty("state", notice.state.value)
        if notice.state is Connection.STARTING and notice.detail == "homeserver":
            self.starting.label.setText(self.tr("Starting the local homeserver…"))

    @Slot(object)
    def on_login_needed(self, notice: LoginNeeded) -> None:
        self.user_id = ""
        self.who.clear()
        self.connection.setText(self.tr("Not signed in"))
        self.connection.setProperty("state", "signed_out")
        for action in (self.new_room_action, self.sign_out_action):
            action.setEnabled(False)
        self.session_menu.enable_for(signed_in=False)
        self.login.show_problem(notice)
        self.pages.setCurrentWidget(self._login_page)
        if not self.login.user.text():
            self.login.user.setFocus()

    @Slot(object)
    def on_logged_in(self, notice: LoggedIn) -> None:
        self.user_id = notice.user_id
        self.workspace.set_user(notice.user_id)
        self.who.setText(notice.user_id)
        self.who.setToolTip(
            fill(
                self.tr("Device %1 on %2; login kept in %3"),
                notice.device_id,
                notice.homeserver,
                notice.credentials_location,
            )
        )
        self.login.password.clear()
        for action in (self.new_room_action, self.sign_out_action):
            action.setEnabled(True)
        self.session_menu.enable_for(signed_in=True)
        self.pages.setCurrentWidget(self.workspace)

    @Slot(object)
    def on_rooms(self, notice: RoomsChanged) -> None:
        self.workspace.apply_rooms(notice)

    @Slot(object)
    def on_room_loaded(self, notice: RoomLoaded) -> None:
        self.workspace.apply_room_loaded(notice)

    @Slot(object)
    def on_events(self, notice: EventsArrived) -> None:
        self.workspace.apply_events(notice)

    @Slot(object)
    def on_outbox(self, notice: OutboxChanged) -> None:
        self.workspace.apply_outbox(notice)

    @Slot(object)
    def on_invitations(self, notice: InvitationsChanged) -> None:
        self.workspace.invitations.set_invitations(notice.invitations)

    @Slot(object)
    def on_roster(self, notice: RosterChanged) -> None:
        self.workspace.apply_roster(notice)

    @Slot(object)
    def on_problem(self, notice: Problem) -> None:
        self.problems.append(notice)
        texts = {
            "not_signed_in": self.tr("Sign in first."),
            "create_room_failed": self.tr("The room could not be created."),
            "sync_failed": self.tr("Receiving failed; retrying."),
            "send_failed": self.tr("Sending failed; retrying."),
            "feature_failed": self.tr("A background task failed; the record is kept."),
            "timeline_refused": self.tr("Not sent to the timeline:"),
            "timeline_failed": self.tr("The server did not take the file, or it cannot be read:"),
            "pin_failed": self.tr("The pin could not be changed."),
            "history_failed": self.tr("Older history could not be fetched from the server."),
            "backup_failed": self.tr("Room keys could not be added to the key backup; retrying."),
            "secret_unreadable": self.tr("A key kept behind the recovery key could not be read."),
            "instruction_failed": self.tr("The instruction could not be handled."),
            "exercise_failed": self.tr("The exercise could not start."),
            "instructions_document_unreadable": self.tr(
                "Saved instruction drafts could not be read; the file was kept aside."
            ),
            "homeserver_failed": self.tr("The local homeserver did not start."),
            "credentials_unreadable": self.tr("The stored login could not be read."),
            "session_failed": self.tr("The session could not be changed."),
            "join_failed": self.tr("Joining failed."),
            "no_session": self.tr("Choose a room of a crisis session first."),
            "data_dir_in_use": self.tr("This data folder is open in another window of the app."),
            "archive_failed": self.tr("The local archive could not be opened."),
            "logout_incomplete": self.tr(
                "Signed out here, but the server could not be told; sign this device out "
                "from another client."
            ),
        }
        text = texts.get(notice.what, self.tr("Something went wrong in the background."))
        detail = isolate(notice.detail) if notice.detail else ""
        if notice.what in ("homeserver_failed", "data_dir_in_use"):
            self.starting.label.setText(f"{text}\n{detail}")
        self.statusBar().showMessage(f"{text} {detail}".strip(), 15_000)

    # -- user actions ----------------------------------------------------------------------

    def _new_room(self) -> None:
        dialog = NewRoomDialog(self)
        if dialog.exec():
            self.bridge.create_room(dialog.name.text().strip(), dialog.invitees())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.bridge.shutdown()
        super().closeEvent(event)
