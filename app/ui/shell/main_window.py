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
from app.services import notices
from app.services.notices import (
    Connection,
    ConnectionChanged,
    EventsArrived,
    InvitationsChanged,
    LoggedIn,
    LoginNeeded,
    OutboxChanged,
    Problem,
    Resuming,
    RoomLoaded,
    RoomsChanged,
    RosterChanged,
)
from app.ui.bridge import Bridge
from app.ui.charts.controller import ChartsController
from app.ui.exercise.bar import ExerciseBar
from app.ui.host import Host
from app.ui.instructions.controller import InstructionsController
from app.ui.open_round.controller import RoundsController
from app.ui.overview.page import add_overview
from app.ui.people import with_names
from app.ui.records.controller import RecordsController
from app.ui.recovery.controller import RecoveryController
from app.ui.rooms.new_room_dialog import NewRoomDialog
from app.ui.sessions.menu import SessionMenu
from app.ui.shell.archive_passphrase import ArchivePassphraseAsker
from app.ui.shell.lasting_notice import LastingNotice
from app.ui.shell.login_view import LoginView
from app.ui.shell.quit_warning import may_quit
from app.ui.shell.window_place import WindowPlace
from app.ui.shell.workspace_view import WorkspaceView
from app.ui.sitrep.controller import SitrepController
from app.ui.texts import fill, path_text, user_text
from app.ui.timeline.controller import TimelineController
from app.ui.trust.controller import CrossSigningController
from app.ui.verification.controller import VerificationController


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
        self._resumed = ""  # the stored login whose archived rooms are shown, not yet confirmed
        self.problems: list[Problem] = []  # shown in the status bar, kept for the session
        self.setWindowTitle(self.tr("Open Operations Room"))

        self.starting = StartingPage()
        self.login = LoginView()
        self.workspace = WorkspaceView()
        self.login_page = QWidget()  # keeps the form narrow and centred on wide screens
        QVBoxLayout(self.login_page).addWidget(self.login, 0, Qt.AlignmentFlag.AlignHCenter)
        self.pages = QStackedWidget()
        for page in (self.starting, self.login_page, self.workspace):
            self.pages.addWidget(page)
        self.setCentralWidget(self.pages)

        self.connection = QLabel()
        self.connection.setObjectName("connectionState")
        self.who = QLabel()
        self.statusBar().addPermanentWidget(self.who)
        self.statusBar().addPermanentWidget(self.connection)
        self._build_menu()
        # Features get the host, never the window; built in this order: the exercise bar
        # before the Session menu that opens its scenario chooser, and every feature after
        # _wire, so the workspace has taken a roster in before a feature follows it.
        self.host = Host(self, bridge, self.workspace, lambda: self.user_id, self.on_problem)
        self.host.explain_problems(self._problem_texts())
        self.exercise_bar = ExerciseBar(self.host)
        self.session_menu = SessionMenu(self.host, self.exercise_bar.choose_scenario)
        self._wire()
        self.instructions = InstructionsController(self.host)
        self.recovery = RecoveryController(self.host, self.instructions.page)
        self.archive_passphrase = ArchivePassphraseAsker(bridge, self)
        self.host.add_toolbar(self.exercise_bar)
        self.charts = ChartsController(self.host)
        self.timeline_controller = TimelineController(self.host, self.workspace)
        self.overview = add_overview(self.host)
        self.records = RecordsController(self.host)
        self.verification = VerificationController(self.host, self.workspace.participants.table)
        self.cross_signing = CrossSigningController(self.host, self.recovery.open_restore)
        self.open_round = RoundsController(self.host)
        self.sitreps = SitrepController(self.host)
        self.on_connection(ConnectionChanged(Connection.STARTING))
        self._place = WindowPlace(bridge.data_root / "window.ini")
        self._quitting = False  # the person chose Quit over messages still waiting
        self._place.restore(self, self.workspace.splitter)

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
        b.on(notices.ConnectionChanged, self.on_connection)
        b.on(notices.LoginNeeded, self.on_login_needed)
        b.on(notices.Resuming, self.on_resuming)
        b.on(notices.ArchiveEncrypting, self.on_encrypting)
        b.on(notices.LoggedIn, self.on_logged_in)
        b.on(notices.RoomsChanged, self.on_rooms)
        b.on(notices.RoomLoaded, self.on_room_loaded)
        b.on(notices.EventsArrived, self.on_events)
        b.on(notices.OutboxChanged, self.on_outbox)
        b.on(notices.Problem, self.on_problem)
        b.on(notices.InvitationsChanged, self.on_invitations)
        b.on(notices.RosterChanged, self.on_roster)
        b.on(notices.TrustChanged, self.workspace.participants.show_trust)
        self.workspace.invitations.joinRequested.connect(b.join)
        self.workspace.participants.rosterShown.connect(
            lambda roster: self.session_menu.enable_for(bool(self.user_id), roster)
        )
        self.login.submitted.connect(b.login)
        self.workspace.roomOpened.connect(self._open_room)
        self.workspace.sendRequested.connect(b.send_text)
        self.workspace.draftsChanged.connect(b.keep_composer_drafts)
        self.workspace.replyRequested.connect(b.reply)
        self.workspace.editRequested.connect(b.edit)
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
        self.workspace.connection_bar.apply_connection(notice)
        if notice.state is Connection.STARTING and notice.detail == "homeserver":
            self.starting.label.setText(self.tr("Starting the local homeserver…"))

    @Slot(object)
    def on_login_needed(self, notice: LoginNeeded) -> None:
        self.user_id = self._resumed = ""
        self.who.clear()
        self.connection.setText(self.tr("Not signed in"))
        self.connection.setProperty("state", "signed_out")
        for action in (self.new_room_action, self.sign_out_action):
            action.setEnabled(False)
        self.session_menu.enable_for(signed_in=False)
        self.login.show_problem(notice)
        self.pages.setCurrentWidget(self.login_page)
        if not self.login.user.text():
            self.login.user.setFocus()

    @Slot(object)
    def on_resuming(self, notice: Resuming) -> None:
        """The stored login's rooms, from the archive, while the server is asked: the
        workspace as it will be, its commands enabled once ``LoggedIn`` confirms it."""
        self._resumed = notice.user_id
        self.workspace.set_user(notice.user_id)
        self.who.setText(user_text(notice.user_id))
        self.pages.setCurrentWidget(self.workspace)

    @Slot(object)
    def on_encrypting(self, notice: notices.ArchiveEncrypting) -> None:
        """An older release's plaintext archive is being encrypted, once, before it opens:
        said where the start-up waits, and in the status bar."""
        percent = str(notice.done * 100 // max(notice.total, 1))
        text = fill(self.tr("Encrypting the archive on this computer: %1%"), percent)
        if notice.done >= notice.total:
            text = self.tr("The archive on this computer is now encrypted.")
        self.starting.label.setText(text)
        self.statusBar().showMessage(text, 10_000)

    @Slot(object)
    def on_logged_in(self, notice: LoggedIn) -> None:
        self.user_id = notice.user_id
        if notice.user_id != self._resumed:  # the resumed account's rooms stay as shown
            self.workspace.set_user(notice.user_id)
        self._resumed = ""
        self.bridge.composer_drafts().on_success(self.workspace.restore_drafts)
        self.who.setText(user_text(notice.user_id))
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
        first = not self.workspace.rooms.rowCount()
        self.workspace.apply_rooms(notice)
        if first and notice.rooms:
            # Painted now rather than at the next paint cycle: at a restart the newest
            # room's events arrive right behind the list, and filling its timeline would
            # otherwise keep the list off the screen until it is done.
            self.workspace.repaint()

    @Slot(object)
    def on_room_loaded(self, notice: RoomLoaded) -> None:
        self.workspace.apply_room_loaded(notice)
        self._name_inviters()

    @Slot(object)
    def on_events(self, notice: EventsArrived) -> None:
        self.workspace.apply_events(notice)
        self._name_inviters()

    @Slot(object)
    def on_outbox(self, notice: OutboxChanged) -> None:
        self.workspace.apply_outbox(notice)

    @Slot(object)
    def on_invitations(self, notice: InvitationsChanged) -> None:
        self.workspace.invitations.set_invitations(notice.invitations, self.workspace.names())

    @Slot(object)
    def on_roster(self, notice: RosterChanged) -> None:
        self.workspace.apply_roster(notice)
        self._name_inviters()

    def _name_inviters(self) -> None:
        """Names learnt after an invitation came name its inviter too (none to do, and
        no names gathered, while no invitation waits)."""
        invitations = self.workspace.invitations
        if invitations.list.count():
            invitations.name_people(self.workspace.names())

    def _problem_texts(self) -> dict[str, str]:
        """The problems of the window itself (login, sync, sending, the data folder); each
        feature registers its own with ``Host.explain_problems``."""
        return {
            "not_signed_in": self.tr("Sign in first."),
            "create_room_failed": self.tr("The room could not be created."),
            "sync_failed": self.tr("Receiving failed; retrying."),
            "send_failed": self.tr("Sending failed; retrying."),
            "room_key_undeliverable": self.tr(
                "A device cannot receive the key to read your messages:"
            ),
            "feature_failed": self.tr("A background task failed; the record is kept."),
            "session_unreadable": self.tr(
                "A session could not be read from the archive and is left out of the lists "
                "(nothing is deleted; the log says why):"
            ),
            "homeserver_failed": self.tr("The local homeserver did not start."),
            "credentials_unreadable": self.tr("The stored login could not be read."),
            "data_dir_in_use": self.tr("This data folder is open in another window of the app."),
            "archive_failed": self.tr("The local archive could not be opened."),
            "outbox_set_aside": self.tr(
                "An outbox made under another key was kept aside; any messages in it "
                "not yet sent are there, unsent. It is kept as:"
            ),
            "disk_full": self.tr(
                "The disk is full. Free some space: sending and receiving resume by "
                "themselves, and nothing queued is lost."
            ),
            "to_device_skipped": self.tr(
                "Encrypted messages to this device could not be read; they were skipped "
                "and recorded:"
            ),
            "sync_parts_skipped": self.tr(
                "Parts of what the server sent could not be read; they were skipped and "
                "recorded, and receiving goes on:"
            ),
            "history_gap": self.tr(
                "Some messages in the middle of a room's history could not be fetched yet; "
                "they will be tried again:"
            ),
            "history_gap_lost": self.tr(
                "Some messages in the middle of a room's history could not be fetched from "
                "the server:"
            ),
            "logout_incomplete": self.tr(
                "Signed out here, but the server could not be told; sign this device out "
                "from another client."
            ),
        }

    @Slot(object)
    def on_problem(self, notice: Problem) -> None:
        self.problems.append(notice)
        text = self.host.explain(notice)
        if notice.what == notices.OUTBOX_SET_ASIDE:  # told once, ever: it stays until dismissed
            self.host.add_status_widget(LastingNotice(f"{text} {path_text(notice.detail)}"))
            return
        detail = isolate(with_names(notice.detail, self.workspace.names())) if notice.detail else ""
        if notice.what in ("homeserver_failed", "data_dir_in_use"):
            self.starting.label.setText(f"{text}\n{detail}")
        self.statusBar().showMessage(f"{text} {detail}".strip(), 15_000)

    # -- user actions ----------------------------------------------------------------------

    def _open_room(self, room_id: str) -> None:
        """Ask for a room's rows; once the ask is answered, the timeline stops holding
        what arrives for the room (``TimelineFeed``), unless the window has been signed
        in again since; a failure is shown as any unanswered one is."""
        epoch = self.workspace.epoch  # the sign-in asking: its answer ends nothing of the next

        def failed(problem: Problem) -> None:
            self.workspace.room_answered(room_id, epoch)
            self.on_problem(problem)

        opening = self.bridge.open_room(room_id)
        opening.on_success(lambda _: self.workspace.room_answered(room_id, epoch))
        opening.on_failure(failed)

    def _new_room(self) -> None:
        dialog = NewRoomDialog(self)
        if dialog.exec():
            self.bridge.create_room(dialog.name.text().strip(), dialog.invitees())

    def closeEvent(self, event: QCloseEvent) -> None:
        waiting = self.workspace.connection_bar.waiting if self.user_id else 0
        if not self._quitting and not may_quit(self, waiting):
            event.ignore()
            return
        self._quitting = True
        self._place.save(self, self.workspace.splitter)
        if self.user_id:
            self.bridge.keep_composer_drafts(self.workspace.current_drafts())
        self.bridge.shutdown()
        super().closeEvent(event)
