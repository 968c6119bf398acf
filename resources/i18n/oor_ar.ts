<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ar">
<context>
    <name />
    <message>
        <location filename="../../app/ui/timeline_delegate.py" line="26" />
        <source>sending…</source>
        <translation>جارٍ الإرسال…</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_delegate.py" line="27" />
        <source>not sent: refused by the server</source>
        <translation>لم تُرسل: رفضها الخادم</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_delegate.py" line="28" />
        <source>locked</source>
        <translation>مقفلة</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_delegate.py" line="29" />
        <source>malformed</source>
        <translation>تالفة</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="52" />
        <source>%1 joined</source>
        <translation>انضم %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="54" />
        <source>%1 invited %2</source>
        <translation>دعا %1 ‏%2</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="56" />
        <source>%1 left</source>
        <translation>غادر %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="57" />
        <source>%1 membership: %2</source>
        <translation>عضوية %1: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="64" />
        <source>%1 created the room</source>
        <translation>أنشأ %1 الغرفة</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="68" />
        <source>End-to-end encryption is on</source>
        <translation>التشفير من طرف إلى طرف مفعّل</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="70" />
        <source>Room name: %1</source>
        <translation>اسم الغرفة: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="72" />
        <source>Topic: %1</source>
        <translation>الموضوع: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="76" />
        <source>Room setting changed: %1</source>
        <translation>تغيّر إعداد في الغرفة: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="77" />
        <source>Event of a type this app does not show: %1</source>
        <translation>حدث من نوع لا يعرضه هذا التطبيق: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="84" />
        <source>Encrypted message: waiting for the key from the sender's device</source>
        <translation>رسالة مشفّرة: بانتظار المفتاح من جهاز المرسِل</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="87" />
        <source>Malformed event from another client (kept in the record)</source>
        <translation>حدث تالف من عميل آخر (محفوظ في السجل)</translation>
    </message>
</context>
<context>
    <name>LoginView</name>
    <message>
        <location filename="../../app/ui/login_view.py" line="27" />
        <source>Sign in to your crisis room</source>
        <translation>سجّل الدخول إلى غرفة الأزمة</translation>
    </message>
    <message>
        <location filename="../../app/ui/login_view.py" line="32" />
        <source>@name:example.org or name</source>
        <translation>@name:example.org أو الاسم</translation>
    </message>
    <message>
        <location filename="../../app/ui/login_view.py" line="40" />
        <location filename="../../app/ui/login_view.py" line="72" />
        <source>&amp;Sign in</source>
        <translation>&amp;دخول</translation>
    </message>
    <message>
        <location filename="../../app/ui/login_view.py" line="44" />
        <source>&amp;Homeserver:</source>
        <translation>&amp;الخادم:</translation>
    </message>
    <message>
        <location filename="../../app/ui/login_view.py" line="45" />
        <source>&amp;User:</source>
        <translation>&amp;المستخدم:</translation>
    </message>
    <message>
        <location filename="../../app/ui/login_view.py" line="46" />
        <source>&amp;Password:</source>
        <translation>&amp;كلمة المرور:</translation>
    </message>
    <message>
        <location filename="../../app/ui/login_view.py" line="72" />
        <source>Signing in…</source>
        <translation>جارٍ تسجيل الدخول…</translation>
    </message>
    <message>
        <location filename="../../app/ui/login_view.py" line="88" />
        <source>Check the form: the homeserver address must start with https:// (or http:// on this computer), and user and password are required.</source>
        <translation>راجع النموذج: يجب أن يبدأ عنوان الخادم بـ https://‎ (أو http://‎ على هذا الحاسوب)، واسم المستخدم وكلمة المرور مطلوبان.</translation>
    </message>
    <message>
        <location filename="../../app/ui/login_view.py" line="92" />
        <source>No server answers at this address. Check the address and your network.</source>
        <translation>لا يجيب أي خادم على هذا العنوان. تحقق من العنوان ومن الشبكة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/login_view.py" line="95" />
        <source>A server answers at this address, but it is not a Matrix homeserver.</source>
        <translation>يجيب خادم على هذا العنوان، لكنه ليس خادم Matrix.</translation>
    </message>
    <message>
        <location filename="../../app/ui/login_view.py" line="97" />
        <source>Wrong user name or password.</source>
        <translation>اسم المستخدم أو كلمة المرور غير صحيحة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/login_view.py" line="99" />
        <source>This device was signed out on the server. Please sign in again.</source>
        <translation>سُجّل خروج هذا الجهاز على الخادم. يُرجى تسجيل الدخول من جديد.</translation>
    </message>
    <message>
        <location filename="../../app/ui/login_view.py" line="102" />
        <source>The homeserver refused the sign-in. Try again, or ask its administrator.</source>
        <translation>رفض الخادم تسجيل الدخول. حاول مجددًا أو اسأل مسؤوله.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="57" />
        <source>Open Operations Room</source>
        <translation>غرفة العمليات المفتوحة</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="80" />
        <source>&amp;Room</source>
        <translation>&amp;الغرفة</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="81" />
        <source>&amp;New encrypted room…</source>
        <translation>غرفة مشفّرة &amp;جديدة…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="86" />
        <source>Sign &amp;out</source>
        <translation>تسجيل ال&amp;خروج</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="91" />
        <source>&amp;Quit</source>
        <translation>&amp;إنهاء</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="116" />
        <source>Starting…</source>
        <translation>جارٍ البدء…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="117" />
        <source>Connecting…</source>
        <translation>جارٍ الاتصال…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="118" />
        <source>Connected</source>
        <translation>متصل</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="120" />
        <source>Offline: retrying in %1 s</source>
        <translation>غير متصل: إعادة المحاولة خلال %1 ث</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="127" />
        <source>Starting the local homeserver…</source>
        <translation>جارٍ تشغيل الخادم المحلي…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="133" />
        <source>Not signed in</source>
        <translation>لم يُسجَّل الدخول</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="149" />
        <source>Device %1 on %2; login kept in %3</source>
        <translation>الجهاز %1 على %2؛ بيانات الدخول محفوظة في %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="180" />
        <source>Sign in first.</source>
        <translation>سجّل الدخول أولًا.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="181" />
        <source>The room could not be created.</source>
        <translation>تعذّر إنشاء الغرفة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="182" />
        <source>Receiving failed; retrying.</source>
        <translation>فشل الاستقبال؛ تجري إعادة المحاولة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="183" />
        <source>Sending failed; retrying.</source>
        <translation>فشل الإرسال؛ تجري إعادة المحاولة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="184" />
        <source>The local homeserver did not start.</source>
        <translation>لم يبدأ الخادم المحلي.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="185" />
        <source>The stored login could not be read.</source>
        <translation>تعذّرت قراءة بيانات الدخول المحفوظة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="187" />
        <source>Something went wrong in the background.</source>
        <translation>حدث خطأ في الخلفية.</translation>
    </message>
</context>
<context>
    <name>NewRoomDialog</name>
    <message>
        <location filename="../../app/ui/new_room_dialog.py" line="21" />
        <source>New encrypted room</source>
        <translation>غرفة مشفّرة جديدة</translation>
    </message>
    <message>
        <location filename="../../app/ui/new_room_dialog.py" line="24" />
        <source>@alice:example.org, @bob:example.org</source>
        <translation>@alice:example.org، ‏@bob:example.org</translation>
    </message>
    <message>
        <location filename="../../app/ui/new_room_dialog.py" line="34" />
        <source>Room &amp;name:</source>
        <translation>&amp;اسم الغرفة:</translation>
    </message>
    <message>
        <location filename="../../app/ui/new_room_dialog.py" line="35" />
        <source>&amp;Invite:</source>
        <translation>&amp;دعوة:</translation>
    </message>
    <message>
        <location filename="../../app/ui/new_room_dialog.py" line="45" />
        <source>The room needs a name.</source>
        <translation>تحتاج الغرفة إلى اسم.</translation>
    </message>
    <message>
        <location filename="../../app/ui/new_room_dialog.py" line="50" />
        <source>Not a Matrix user id: %1 (expected @name:server)</source>
        <translation>ليس معرّف مستخدم Matrix: %1 (المتوقع ‎@name:server)</translation>
    </message>
</context>
<context>
    <name>StartingPage</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="38" />
        <source>Starting…</source>
        <translation>جارٍ البدء…</translation>
    </message>
</context>
<context>
    <name>WorkspaceView</name>
    <message>
        <location filename="../../app/ui/workspace_view.py" line="41" />
        <source>Rooms</source>
        <translation>الغرف</translation>
    </message>
    <message>
        <location filename="../../app/ui/workspace_view.py" line="101" />
        <source>Choose a room</source>
        <translation>اختر غرفة</translation>
    </message>
    <message>
        <location filename="../../app/ui/workspace_view.py" line="55" />
        <source>Timeline</source>
        <translation>الخط الزمني</translation>
    </message>
    <message>
        <location filename="../../app/ui/workspace_view.py" line="44" />
        <source>No rooms yet. Ctrl+N creates an encrypted room.</source>
        <translation>لا توجد غرف بعد. يُنشئ Ctrl+N غرفة مشفّرة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/workspace_view.py" line="60" />
        <source>Write a message, Enter sends</source>
        <translation>اكتب رسالة، ويرسلها مفتاح الإدخال</translation>
    </message>
    <message>
        <location filename="../../app/ui/workspace_view.py" line="63" />
        <source>Se&amp;nd</source>
        <translation>&amp;إرسال</translation>
    </message>
</context>
</TS>