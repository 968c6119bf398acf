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
        <location filename="../../app/ui/timeline_delegate.py" line="30" />
        <source>forged</source>
        <translation>مزوّرة</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="57" />
        <source>%1 joined</source>
        <translation>انضم %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="59" />
        <source>%1 invited %2</source>
        <translation>دعا %1 ‏%2</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="61" />
        <source>%1 left</source>
        <translation>غادر %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="62" />
        <source>%1 membership: %2</source>
        <translation>عضوية %1: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="68" />
        <source>%1 was removed from the session</source>
        <translation>أُخرج %1 من الجلسة</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="69" />
        <source>%1 has the role %2</source>
        <translation>دور %1: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="74" />
        <source>Timeline entry</source>
        <translation>قيد في الخط الزمني</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="75" />
        <source>Instruction</source>
        <translation>تعليمات</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="76" />
        <source>Acknowledgement</source>
        <translation>إشعار بالاستلام</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="77" />
        <source>Indicator</source>
        <translation>مؤشر</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="85" />
        <source>%1 created the room</source>
        <translation>أنشأ %1 الغرفة</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="89" />
        <source>End-to-end encryption is on</source>
        <translation>التشفير من طرف إلى طرف مفعّل</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="91" />
        <source>Room name: %1</source>
        <translation>اسم الغرفة: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="93" />
        <source>Topic: %1</source>
        <translation>الموضوع: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="97" />
        <source>Session %1 is %2</source>
        <translation>الجلسة %1: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="99" />
        <source>Delegation: %1 (%2)</source>
        <translation>الوفد: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="103" />
        <source>Room setting changed: %1</source>
        <translation>تغيّر إعداد في الغرفة: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="104" />
        <source>Event of a type this app does not show: %1</source>
        <translation>حدث من نوع لا يعرضه هذا التطبيق: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="111" />
        <source>Encrypted message: waiting for the key from the sender's device</source>
        <translation>رسالة مشفّرة: بانتظار المفتاح من جهاز المرسِل</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="115" />
        <source>Forged %1: the sender's role does not allow it (kept for audit)</source>
        <translation>%1 مزوّرة: دور المرسِل لا يسمح بها (محفوظة للتدقيق)</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline_rows.py" line="120" />
        <source>Malformed event from another client (kept in the record)</source>
        <translation>حدث تالف من عميل آخر (محفوظ في السجل)</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="29" />
        <source>Facilitator</source>
        <translation>الميسّر</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="30" />
        <source>Official</source>
        <translation>مسؤول</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="31" />
        <source>Diplomat</source>
        <translation>دبلوماسي</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="32" />
        <source>Delegate</source>
        <translation>عضو وفد</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="33" />
        <source>Expert</source>
        <translation>خبير</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="34" />
        <source>Influencer</source>
        <translation>مؤثّر</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="35" />
        <source>Observer</source>
        <translation>مراقب</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="42" />
        <source>Evacuation of citizens</source>
        <translation>إجلاء المواطنين</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="43" />
        <source>Hostage case</source>
        <translation>قضية رهائن</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="44" />
        <source>Escalation</source>
        <translation>تصعيد</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="45" />
        <source>Pandemic</source>
        <translation>جائحة</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="46" />
        <source>Natural disaster</source>
        <translation>كارثة طبيعية</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="47" />
        <source>Cyber incident</source>
        <translation>حادث سيبراني</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="48" />
        <source>Other crisis</source>
        <translation>أزمة أخرى</translation>
    </message>
</context>
<context>
    <name>ConveneDialog</name>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="66" />
        <source>Convene crisis session</source>
        <translation>عقد جلسة أزمة</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="76" />
        <source>This is an &amp;exercise</source>
        <translation>هذا &amp;تمرين</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="77" />
        <source>Outreach room for influencers</source>
        <translation>غرفة تواصل للمؤثّرين</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="79" />
        <source>Outreach room without end-to-end encryption</source>
        <translation>غرفة التواصل بلا تشفير من طرف إلى طرف</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="82" />
        <source>&amp;Title:</source>
        <translation>&amp;العنوان:</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="83" />
        <source>&amp;Kind of crisis:</source>
        <translation>&amp;نوع الأزمة:</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="84" />
        <source>&amp;Capital time zone:</source>
        <translation>&amp;المنطقة الزمنية للعاصمة:</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="85" />
        <source>C&amp;lassification:</source>
        <translation>&amp;التصنيف:</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="91" />
        <source>Id</source>
        <translation>المعرّف</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="91" />
        <source>Name</source>
        <translation>الاسم</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="91" />
        <source>Location</source>
        <translation>المكان</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="91" />
        <source>Time zone</source>
        <translation>المنطقة الزمنية</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="94" />
        <source>Matrix id</source>
        <translation>معرّف Matrix</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="94" />
        <source>Role</source>
        <translation>الدور</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="94" />
        <source>Delegation</source>
        <translation>الوفد</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="94" />
        <source>Title</source>
        <translation>الصفة</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="103" />
        <source>Con&amp;vene</source>
        <translation>&amp;عقد</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="109" />
        <source>Delegations</source>
        <translation>الوفود</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="111" />
        <source>Participants</source>
        <translation>المشاركون</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="124" />
        <source>Add</source>
        <translation>إضافة</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="127" />
        <source>Remove</source>
        <translation>إزالة</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="202" />
        <source>The session needs a title.</source>
        <translation>تحتاج الجلسة إلى عنوان.</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="203" />
        <source>Unknown kind of crisis: %1</source>
        <translation>نوع أزمة غير معروف: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="204" />
        <source>Not a time zone: %1 (e.g. Europe/Geneva)</source>
        <translation>ليست منطقة زمنية: %1 (مثل Europe/Geneva)</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="205" />
        <source>Delegation %1 is listed twice.</source>
        <translation>الوفد %1 مذكور مرتين.</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="206" />
        <source>Delegation id %1: use a-z, 0-9, - or _.</source>
        <translation>معرّف الوفد %1: استخدم a-z و0-9 و- أو _.</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="207" />
        <source>Delegation %1 needs a name.</source>
        <translation>يحتاج الوفد %1 إلى اسم.</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="208" />
        <source>Not a Matrix user id: %1 (expected @name:server)</source>
        <translation>ليس معرّف مستخدم Matrix: %1 (المتوقع ‎@name:server)</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="209" />
        <source>%1 is listed twice.</source>
        <translation>%1 مذكور مرتين.</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="210" />
        <source>%1 is a delegate: choose a delegation.</source>
        <translation>%1 عضو وفد: اختر وفدًا.</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="211" />
        <source>No delegation with id %1.</source>
        <translation>لا يوجد وفد بالمعرّف %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/convene_dialog.py" line="212" />
        <source>Too long (at most 200 characters; 64 for a classification): %1…</source>
        <translation>طويل جدًا (200 حرف على الأكثر؛ 64 للتصنيف): %1…</translation>
    </message>
</context>
<context>
    <name>InvitationsView</name>
    <message>
        <location filename="../../app/ui/invitations_view.py" line="21" />
        <source>Invitations</source>
        <translation>الدعوات</translation>
    </message>
    <message>
        <location filename="../../app/ui/invitations_view.py" line="24" />
        <source>&amp;Join</source>
        <translation>&amp;انضمام</translation>
    </message>
    <message>
        <location filename="../../app/ui/invitations_view.py" line="38" />
        <source>Session invitation: %1 — %2 (from %3)</source>
        <translation>دعوة إلى جلسة: %1 — %2 (من %3)</translation>
    </message>
    <message>
        <location filename="../../app/ui/invitations_view.py" line="40" />
        <source>Room invitation: %1 — %2 (from %3)</source>
        <translation>دعوة إلى غرفة: %1 — %2 (من %3)</translation>
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
        <location filename="../../app/ui/login_view.py" line="74" />
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
        <location filename="../../app/ui/login_view.py" line="74" />
        <source>Signing in…</source>
        <translation>جارٍ تسجيل الدخول…</translation>
    </message>
    <message>
        <location filename="../../app/ui/login_view.py" line="90" />
        <source>Check the form: the homeserver address must start with https:// (or http:// on this computer), and user and password are required.</source>
        <translation>راجع النموذج: يجب أن يبدأ عنوان الخادم بـ https://‎ (أو http://‎ على هذا الحاسوب)، واسم المستخدم وكلمة المرور مطلوبان.</translation>
    </message>
    <message>
        <location filename="../../app/ui/login_view.py" line="94" />
        <source>No server answers at this address. Check the address and your network.</source>
        <translation>لا يجيب أي خادم على هذا العنوان. تحقق من العنوان ومن الشبكة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/login_view.py" line="97" />
        <source>A server answers at this address, but it is not a Matrix homeserver.</source>
        <translation>يجيب خادم على هذا العنوان، لكنه ليس خادم Matrix.</translation>
    </message>
    <message>
        <location filename="../../app/ui/login_view.py" line="99" />
        <source>Wrong user name or password.</source>
        <translation>اسم المستخدم أو كلمة المرور غير صحيحة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/login_view.py" line="101" />
        <source>This device was signed out on the server. Please sign in again.</source>
        <translation>سُجّل خروج هذا الجهاز على الخادم. يُرجى تسجيل الدخول من جديد.</translation>
    </message>
    <message>
        <location filename="../../app/ui/login_view.py" line="104" />
        <source>The homeserver refused the sign-in. Try again, or ask its administrator.</source>
        <translation>رفض الخادم تسجيل الدخول. حاول مجددًا أو اسأل مسؤوله.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="61" />
        <source>Open Operations Room</source>
        <translation>غرفة العمليات المفتوحة</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="85" />
        <source>&amp;Room</source>
        <translation>&amp;الغرفة</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="86" />
        <source>&amp;New encrypted room…</source>
        <translation>غرفة مشفّرة &amp;جديدة…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="91" />
        <source>Sign &amp;out</source>
        <translation>تسجيل ال&amp;خروج</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="96" />
        <source>&amp;Quit</source>
        <translation>&amp;إنهاء</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="127" />
        <source>Starting…</source>
        <translation>جارٍ البدء…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="128" />
        <source>Connecting…</source>
        <translation>جارٍ الاتصال…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="129" />
        <source>Connected</source>
        <translation>متصل</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="131" />
        <source>Offline: retrying in %1 s</source>
        <translation>غير متصل: إعادة المحاولة خلال %1 ث</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="138" />
        <source>Starting the local homeserver…</source>
        <translation>جارٍ تشغيل الخادم المحلي…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="144" />
        <source>Not signed in</source>
        <translation>لم يُسجَّل الدخول</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="161" />
        <source>Device %1 on %2; login kept in %3</source>
        <translation>الجهاز %1 على %2؛ بيانات الدخول محفوظة في %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="201" />
        <source>Sign in first.</source>
        <translation>سجّل الدخول أولًا.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="202" />
        <source>The room could not be created.</source>
        <translation>تعذّر إنشاء الغرفة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="203" />
        <source>Receiving failed; retrying.</source>
        <translation>فشل الاستقبال؛ تجري إعادة المحاولة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="204" />
        <source>Sending failed; retrying.</source>
        <translation>فشل الإرسال؛ تجري إعادة المحاولة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="205" />
        <source>The local homeserver did not start.</source>
        <translation>لم يبدأ الخادم المحلي.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="206" />
        <source>The stored login could not be read.</source>
        <translation>تعذّرت قراءة بيانات الدخول المحفوظة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="207" />
        <source>The session could not be changed.</source>
        <translation>تعذّر تعديل الجلسة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="208" />
        <source>Joining failed.</source>
        <translation>تعذّر الانضمام.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="209" />
        <source>Choose a room of a crisis session first.</source>
        <translation>اختر أولًا غرفة من جلسة أزمة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="210" />
        <source>This data folder is open in another window of the app.</source>
        <translation>مجلد البيانات هذا مفتوح في نافذة أخرى من التطبيق.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="211" />
        <source>The local archive could not be opened.</source>
        <translation>تعذّر فتح الأرشيف المحلي.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="213" />
        <source>Signed out here, but the server could not be told; sign this device out from another client.</source>
        <translation>سُجّل الخروج هنا، لكن تعذّر إبلاغ الخادم؛ سجّل خروج هذا الجهاز من عميل آخر.</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="217" />
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
    <name>ParticipantDialog</name>
    <message>
        <location filename="../../app/ui/participant_dialog.py" line="27" />
        <source>Change role</source>
        <translation>تغيير الدور</translation>
    </message>
    <message>
        <location filename="../../app/ui/participant_dialog.py" line="27" />
        <source>Add participant</source>
        <translation>إضافة مشارك</translation>
    </message>
    <message>
        <location filename="../../app/ui/participant_dialog.py" line="35" />
        <source>(none)</source>
        <translation>(لا شيء)</translation>
    </message>
    <message>
        <location filename="../../app/ui/participant_dialog.py" line="50" />
        <source>&amp;Matrix id:</source>
        <translation>&amp;معرّف Matrix:</translation>
    </message>
    <message>
        <location filename="../../app/ui/participant_dialog.py" line="51" />
        <source>&amp;Role:</source>
        <translation>&amp;الدور:</translation>
    </message>
    <message>
        <location filename="../../app/ui/participant_dialog.py" line="52" />
        <source>&amp;Delegation:</source>
        <translation>&amp;الوفد:</translation>
    </message>
    <message>
        <location filename="../../app/ui/participant_dialog.py" line="53" />
        <source>&amp;Title:</source>
        <translation>&amp;العنوان:</translation>
    </message>
    <message>
        <location filename="../../app/ui/participant_dialog.py" line="70" />
        <source>Not a Matrix user id: %1 (expected @name:server)</source>
        <translation>ليس معرّف مستخدم Matrix: %1 (المتوقع ‎@name:server)</translation>
    </message>
    <message>
        <location filename="../../app/ui/participant_dialog.py" line="73" />
        <source>A delegate needs a delegation.</source>
        <translation>يحتاج عضو الوفد إلى وفد.</translation>
    </message>
</context>
<context>
    <name>ParticipantsPanel</name>
    <message>
        <location filename="../../app/ui/participants_panel.py" line="115" />
        <source>EXERCISE</source>
        <translation>تمرين</translation>
    </message>
    <message>
        <location filename="../../app/ui/participants_panel.py" line="124" />
        <source>Participants</source>
        <translation>المشاركون</translation>
    </message>
    <message>
        <location filename="../../app/ui/participants_panel.py" line="156" />
        <source>convened</source>
        <translation>منعقدة</translation>
    </message>
    <message>
        <location filename="../../app/ui/participants_panel.py" line="157" />
        <source>active</source>
        <translation>جارية</translation>
    </message>
    <message>
        <location filename="../../app/ui/participants_panel.py" line="158" />
        <source>closed</source>
        <translation>مغلقة</translation>
    </message>
    <message>
        <location filename="../../app/ui/participants_panel.py" line="162" />
        <source>%1 — %2, %3 · capital time %4 (%5)</source>
        <translation>%1 — %2، %3 · توقيت العاصمة %4 (%5)</translation>
    </message>
</context>
<context>
    <name>RoomListModel</name>
    <message>
        <location filename="../../app/ui/room_list_model.py" line="53" />
        <source>Operations</source>
        <translation>العمليات</translation>
    </message>
    <message>
        <location filename="../../app/ui/room_list_model.py" line="54" />
        <source>Restricted</source>
        <translation>المقيّدة</translation>
    </message>
    <message>
        <location filename="../../app/ui/room_list_model.py" line="55" />
        <source>Outreach</source>
        <translation>التواصل</translation>
    </message>
</context>
<context>
    <name>RosterModel</name>
    <message>
        <location filename="../../app/ui/participants_panel.py" line="56" />
        <source>Participant</source>
        <translation>المشارك</translation>
    </message>
    <message>
        <location filename="../../app/ui/participants_panel.py" line="57" />
        <source>Role</source>
        <translation>الدور</translation>
    </message>
    <message>
        <location filename="../../app/ui/participants_panel.py" line="58" />
        <source>Delegation</source>
        <translation>الوفد</translation>
    </message>
    <message>
        <location filename="../../app/ui/participants_panel.py" line="59" />
        <source>Local time</source>
        <translation>التوقيت المحلي</translation>
    </message>
    <message>
        <location filename="../../app/ui/participants_panel.py" line="60" />
        <source>Status</source>
        <translation>الحالة</translation>
    </message>
    <message>
        <location filename="../../app/ui/participants_panel.py" line="85" />
        <source>joined</source>
        <translation>انضم</translation>
    </message>
    <message>
        <location filename="../../app/ui/participants_panel.py" line="86" />
        <source>not joined yet</source>
        <translation>لم ينضم بعد</translation>
    </message>
    <message>
        <location filename="../../app/ui/participants_panel.py" line="87" />
        <source>left</source>
        <translation>غادر</translation>
    </message>
</context>
<context>
    <name>SessionMenu</name>
    <message>
        <location filename="../../app/ui/session_menu.py" line="29" />
        <source>&amp;Session</source>
        <translation>&amp;الجلسة</translation>
    </message>
    <message>
        <location filename="../../app/ui/session_menu.py" line="30" />
        <source>&amp;Convene session…</source>
        <translation>&amp;عقد جلسة…</translation>
    </message>
    <message>
        <location filename="../../app/ui/session_menu.py" line="33" />
        <source>&amp;Add participant…</source>
        <translation>&amp;إضافة مشارك…</translation>
    </message>
    <message>
        <location filename="../../app/ui/session_menu.py" line="35" />
        <source>Change &amp;role…</source>
        <translation>تغيير ال&amp;دور…</translation>
    </message>
    <message>
        <location filename="../../app/ui/session_menu.py" line="37" />
        <source>Re&amp;move participant…</source>
        <translation>إ&amp;خراج مشارك…</translation>
    </message>
    <message>
        <location filename="../../app/ui/session_menu.py" line="39" />
        <source>C&amp;lose session…</source>
        <translation>&amp;إغلاق الجلسة…</translation>
    </message>
    <message>
        <location filename="../../app/ui/session_menu.py" line="103" />
        <source>Remove %1 from all rooms of %2? What they said stays in the record.</source>
        <translation>إخراج %1 من كل غرف %2؟ يبقى ما قاله في السجل.</translation>
    </message>
    <message>
        <location filename="../../app/ui/session_menu.py" line="114" />
        <source>Close %1? Only facilitators can post afterwards; the record stays.</source>
        <translation>إغلاق %1؟ لن يتمكن من النشر بعدها إلا الميسّرون؛ ويبقى السجل.</translation>
    </message>
</context>
<context>
    <name>StartingPage</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="42" />
        <source>Starting…</source>
        <translation>جارٍ البدء…</translation>
    </message>
</context>
<context>
    <name>WorkspaceView</name>
    <message>
        <location filename="../../app/ui/workspace_view.py" line="51" />
        <source>Rooms</source>
        <translation>الغرف</translation>
    </message>
    <message>
        <location filename="../../app/ui/workspace_view.py" line="136" />
        <source>Choose a room</source>
        <translation>اختر غرفة</translation>
    </message>
    <message>
        <location filename="../../app/ui/workspace_view.py" line="98" />
        <source>Timeline</source>
        <translation>الخط الزمني</translation>
    </message>
    <message>
        <location filename="../../app/ui/workspace_view.py" line="87" />
        <location filename="../../app/ui/workspace_view.py" line="126" />
        <source>No rooms yet. Ctrl+N creates an encrypted room.</source>
        <translation>لا توجد غرف بعد. يُنشئ Ctrl+N غرفة مشفّرة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/workspace_view.py" line="104" />
        <source>Write a message, Enter sends</source>
        <translation>اكتب رسالة، ويرسلها مفتاح الإدخال</translation>
    </message>
    <message>
        <location filename="../../app/ui/workspace_view.py" line="107" />
        <source>Se&amp;nd</source>
        <translation>&amp;إرسال</translation>
    </message>
</context>
</TS>