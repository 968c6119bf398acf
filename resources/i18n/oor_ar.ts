<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar">
<context>
    <name></name>
    <message>
        <location filename="../../app/ui/timeline/delegate.py" line="40"/>
        <source>sending…</source>
        <translation>جارٍ الإرسال…</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/delegate.py" line="41"/>
        <source>not sent: refused by the server</source>
        <translation>لم تُرسل: رفضها الخادم</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/delegate.py" line="42"/>
        <source>locked</source>
        <translation>مقفلة</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/delegate.py" line="43"/>
        <source>malformed</source>
        <translation>تالفة</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/delegate.py" line="44"/>
        <source>forged</source>
        <translation>مزوّرة</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/delegate.py" line="45"/>
        <source>unverified device</source>
        <translation>جهاز غير موثَّق</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/delegate.py" line="46"/>
        <source>records differ</source>
        <translation>السجلات مختلفة</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/delegate.py" line="113"/>
        <source>happened %1</source>
        <translation>وقع %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/delegate.py" line="115"/>
        <source>at %1</source>
        <translation>في %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/delegate.py" line="117"/>
        <source>tags: %1</source>
        <translation>الوسوم: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/delegate.py" line="119"/>
        <source>sources: %1</source>
        <translation>المصادر: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/delegate.py" line="122"/>
        <source>%1 verification changes (Enter shows them)</source>
        <translation>تغييرات التحقق: %1 (مفتاح الإدخال يعرضها)</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/delegate.py" line="134"/>
        <source>edited; Ctrl+U shows the original</source>
        <translation>معدَّلة؛ Ctrl+U يعرض الأصل</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/delegate.py" line="136"/>
        <source>removed by %1; the archive keeps what it had</source>
        <translation>حذفها %1؛ يحتفظ الأرشيف بما كان فيها</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/delegate.py" line="139"/>
        <source>pinned</source>
        <translation>مثبَّت</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/delegate.py" line="169"/>
        <source>Enter saves the file</source>
        <translation>مفتاح الإدخال يحفظ الملف</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/delegate.py" line="171"/>
        <source>%1 — Enter shows the raw content</source>
        <translation>%1 — مفتاح الإدخال يعرض المحتوى الخام</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/delegate.py" line="172"/>
        <source>Enter shows the raw content</source>
        <translation>مفتاح الإدخال يعرض المحتوى الخام</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="101"/>
        <source>%1 joined</source>
        <translation>انضم %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/timeline/fold.py" line="52"/>
        <source>%n changes to the room</source>
        <translation>
            <numerusform>لا تغييرات على الغرفة</numerusform>
            <numerusform>تغيير واحد على الغرفة</numerusform>
            <numerusform>تغييران على الغرفة</numerusform>
            <numerusform>%n تغييرات على الغرفة</numerusform>
            <numerusform>%n تغييرًا على الغرفة</numerusform>
            <numerusform>%n تغيير على الغرفة</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/timeline/fold.py" line="56"/>
        <source>%n joined</source>
        <translation>
            <numerusform>لم ينضم أحد</numerusform>
            <numerusform>انضم شخص واحد</numerusform>
            <numerusform>انضم شخصان</numerusform>
            <numerusform>انضم %n أشخاص</numerusform>
            <numerusform>انضم %n شخصًا</numerusform>
            <numerusform>انضم %n شخص</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/timeline/fold.py" line="57"/>
        <source>%n invited</source>
        <translation>
            <numerusform>لم يُدعَ أحد</numerusform>
            <numerusform>دُعي شخص واحد</numerusform>
            <numerusform>دُعي شخصان</numerusform>
            <numerusform>دُعي %n أشخاص</numerusform>
            <numerusform>دُعي %n شخصًا</numerusform>
            <numerusform>دُعي %n شخص</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/timeline/fold.py" line="58"/>
        <source>%n roles assigned</source>
        <translation>
            <numerusform>لم يُسند أي دور</numerusform>
            <numerusform>أُسند دور واحد</numerusform>
            <numerusform>أُسند دوران</numerusform>
            <numerusform>أُسندت %n أدوار</numerusform>
            <numerusform>أُسند %n دورًا</numerusform>
            <numerusform>أُسند %n دور</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/fold.py" line="63"/>
        <source>, </source>
        <translation>، </translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/fold.py" line="64"/>
        <location filename="../../app/ui/timeline/fold.py" line="91"/>
        <source>Enter shows them</source>
        <translation>مفتاح الإدخال يعرضها</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/fold.py" line="86"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/timeline/fold.py" line="89"/>
        <source>%n updates</source>
        <translation>
            <numerusform>لا تحديثات</numerusform>
            <numerusform>تحديث واحد</numerusform>
            <numerusform>تحديثان</numerusform>
            <numerusform>%n تحديثات</numerusform>
            <numerusform>%n تحديثًا</numerusform>
            <numerusform>%n تحديث</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/fold.py" line="90"/>
        <source>%1: %2, %3</source>
        <translation>%1: %2، %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="103"/>
        <source>%1 invited %2</source>
        <translation>دعا %1 ‏%2</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="105"/>
        <source>%1 left</source>
        <translation>غادر %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="106"/>
        <source>%1 membership: %2</source>
        <translation>عضوية %1: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="112"/>
        <source>%1 was removed from the session</source>
        <translation>أُخرج %1 من الجلسة</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="113"/>
        <source>%1 has the role %2</source>
        <translation>دور %1: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="118"/>
        <source>Timeline entry</source>
        <translation>قيد في الخط الزمني</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="119"/>
        <source>Verification change</source>
        <translation>تغيير التحقق</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="120"/>
        <source>Instruction</source>
        <translation>تعليمات</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="121"/>
        <source>Acknowledgement</source>
        <translation>إشعار بالاستلام</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="122"/>
        <source>Indicator</source>
        <translation>مؤشر</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="123"/>
        <source>Request for instructions</source>
        <translation>طلب تعليمات</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="127"/>
        <source>Event of the operations room</source>
        <translation>حدث من غرفة العمليات</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="140"/>
        <source>%1 created the room</source>
        <translation>أنشأ %1 الغرفة</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="142"/>
        <source>End-to-end encryption is on</source>
        <translation>التشفير من طرف إلى طرف مفعّل</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="143"/>
        <source>Room name: %1</source>
        <translation>اسم الغرفة: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="144"/>
        <source>Topic: %1</source>
        <translation>الموضوع: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="146"/>
        <source>%1 removed an event (the archive keeps what it had)</source>
        <translation>حذف %1 حدثًا (يحتفظ الأرشيف بما كان فيه)</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="135"/>
        <source>Session %1 is %2</source>
        <translation>الجلسة %1: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="125"/>
        <source>Sitrep review</source>
        <translation>مراجعة تقرير الوضع</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="126"/>
        <source>Chart definition</source>
        <translation>تعريف رسم بياني</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="148"/>
        <source>%1 changed the pinned messages</source>
        <translation>غيّر %1 الرسائل المثبّتة</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="149"/>
        <source>%1 changed the room picture</source>
        <translation>غيّر %1 صورة الغرفة</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="153"/>
        <source>Delegation: %1 (%2)</source>
        <translation>الوفد: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="156"/>
        <source>%1 defined the chart &apos;%2&apos;</source>
        <translation>عرّف %1 المخطط «%2»</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="168"/>
        <source>%1 changed a setting of the room</source>
        <translation>غيّر %1 أحد إعدادات الغرفة</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="169"/>
        <source>A kind of event this app does not show (the raw content is one key away)</source>
        <translation>نوع من الأحداث لا يعرضه هذا التطبيق (المحتوى الخام على بُعد مفتاح واحد)</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="175"/>
        <source>this device is not verified by the sender</source>
        <translation>هذا الجهاز غير موثَّق لدى المرسِل</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="176"/>
        <source>this device is not allowed to read it</source>
        <translation>لا يُسمح لهذا الجهاز بقراءتها</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="177"/>
        <source>this device is blocked by the sender</source>
        <translation>هذا الجهاز محظور لدى المرسِل</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="178"/>
        <source>the key is not available on the device asked</source>
        <translation>المفتاح غير متوفر على الجهاز المطلوب منه</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="179"/>
        <source>no secure channel could be made to this device</source>
        <translation>تعذّر إنشاء قناة آمنة مع هذا الجهاز</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="188"/>
        <source>Encrypted message: withheld: %1</source>
        <translation>رسالة مشفّرة: حُجب المفتاح: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="191"/>
        <source>Encrypted message: key requested from %1</source>
        <translation>رسالة مشفّرة: طُلب المفتاح من %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="193"/>
        <source>Encrypted message: waiting for the key from the sender&apos;s device</source>
        <translation>رسالة مشفّرة: بانتظار المفتاح من جهاز المرسِل</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="211"/>
        <source>Forged %1: the sender&apos;s role does not allow it (kept for audit)</source>
        <translation>%1 مزوّرة: دور المرسِل لا يسمح بها (محفوظة للتدقيق)</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="217"/>
        <source>%1 from an unverified device: it does not count until its owner verifies it</source>
        <translation>%1 من جهاز غير موثَّق: لا يُحتسب حتى يوثّقه صاحبه</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="222"/>
        <location filename="../../app/ui/timeline/rows.py" line="281"/>
        <source>Malformed event from another client (kept in the record)</source>
        <translation>حدث تالف من عميل آخر (محفوظ في السجل)</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="236"/>
        <source>Verification: %1 — %2</source>
        <translation>التحقق: %1 — %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="242"/>
        <source>Session details updated</source>
        <translation>حُدّثت تفاصيل الجلسة</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="249"/>
        <source>%1 edited a message: %2</source>
        <translation>عدّل %1 رسالة: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="255"/>
        <source>File: %1 (%2 KB)</source>
        <translation>ملف: %1 (%2 كيلوبايت)</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="278"/>
        <source>Forged seal of the record: its signature does not hold (kept for audit)</source>
        <translation>ختم مزوّر للسجل: توقيعه غير صحيح (محفوظ للتدقيق)</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="286"/>
        <source>Records differ: %1&apos;s record from %2 to %3 holds %4 events, ours %5</source>
        <translation>السجلات مختلفة: سجل %1 من %2 إلى %3 يضم %4 أحداث، وسجلنا %5</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="301"/>
        <source>%1&apos;s new identity was accepted</source>
        <translation>قُبلت الهوية الجديدة لـ %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="304"/>
        <source>%1&apos;s identity changed: verify them again before relying on what they send</source>
        <translation>تغيّرت هوية %1: تحقّق منه من جديد قبل الاعتماد على ما يرسله</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="337"/>
        <source>in the thread of %1: %2</source>
        <translation>في سلسلة %1: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="338"/>
        <source>reply to %1: %2</source>
        <translation>ردًا على %1: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="124"/>
        <location filename="../../app/ui/timeline/rows.py" line="344"/>
        <source>Situation report</source>
        <translation>تقرير الوضع</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="345"/>
        <source>Decision</source>
        <translation>قرار</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="346"/>
        <source>Statement</source>
        <translation>بيان</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="347"/>
        <source>Analysis</source>
        <translation>تحليل</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="348"/>
        <source>Media</source>
        <translation>إعلام</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="349"/>
        <source>Rumour</source>
        <translation>شائعة</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="350"/>
        <source>Chat</source>
        <translation>محادثة</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="357"/>
        <source>unverified</source>
        <translation>غير متحقَّق منه</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="358"/>
        <source>corroborated</source>
        <translation>مدعوم بمصدر آخر</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="359"/>
        <source>confirmed</source>
        <translation>مؤكَّد</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="360"/>
        <source>disputed</source>
        <translation>متنازَع عليه</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="361"/>
        <source>false</source>
        <translation>كاذب</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/rows.py" line="362"/>
        <source>retracted</source>
        <translation>مسحوب</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="72"/>
        <source>Facilitator</source>
        <translation>الميسّر</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="73"/>
        <source>Official</source>
        <translation>مسؤول</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="74"/>
        <source>Diplomat</source>
        <translation>دبلوماسي</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="75"/>
        <source>Delegate</source>
        <translation>عضو وفد</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="76"/>
        <source>Expert</source>
        <translation>خبير</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="77"/>
        <source>Influencer</source>
        <translation>مؤثّر</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="78"/>
        <source>Observer</source>
        <translation>مراقب</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="79"/>
        <source>Records</source>
        <translation>السجلات</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="86"/>
        <source>Evacuation of citizens</source>
        <translation>إجلاء المواطنين</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="87"/>
        <source>Hostage case</source>
        <translation>قضية رهائن</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="88"/>
        <source>Escalation</source>
        <translation>تصعيد</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="89"/>
        <source>Pandemic</source>
        <translation>جائحة</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="90"/>
        <source>Natural disaster</source>
        <translation>كارثة طبيعية</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="91"/>
        <source>Cyber incident</source>
        <translation>حادث سيبراني</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="92"/>
        <source>Other crisis</source>
        <translation>أزمة أخرى</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="113"/>
        <source>convening</source>
        <translation>قيد الانعقاد</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="114"/>
        <source>convened</source>
        <translation>منعقدة</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="115"/>
        <source>active</source>
        <translation>جارية</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="116"/>
        <source>closed</source>
        <translation>مغلقة</translation>
    </message>
    <message>
        <location filename="../../app/ui/texts.py" line="129"/>
        <source>you are not a member of this room</source>
        <translation>لست عضوًا في هذه الغرفة</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="47"/>
        <source>Time series</source>
        <translation>سلسلة زمنية</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="48"/>
        <source>Stacked area</source>
        <translation>مساحات متراكمة</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="49"/>
        <source>Bars by region</source>
        <translation>أعمدة حسب المنطقة</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="50"/>
        <source>Single figure (KPI)</source>
        <translation>رقم واحد (مؤشر أداء)</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/model.py" line="30"/>
        <source>Routine</source>
        <translation>عادية</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/model.py" line="31"/>
        <source>Priority</source>
        <translation>ذات أولوية</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/model.py" line="32"/>
        <source>Immediate</source>
        <translation>فوري</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/model.py" line="33"/>
        <source>FLASH</source>
        <translation>فوري جدًا</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/model.py" line="39"/>
        <source>Waiting to send</source>
        <translation>بانتظار الإرسال</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/model.py" line="40"/>
        <source>Issued</source>
        <translation>صدرت</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/model.py" line="41"/>
        <source>Received</source>
        <translation>استُلمت</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/model.py" line="42"/>
        <source>Acknowledged</source>
        <translation>أُقرّ باستلامها</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/model.py" line="43"/>
        <source>Done</source>
        <translation>نُفّذت</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/model.py" line="44"/>
        <source>Unable</source>
        <translation>تعذّر التنفيذ</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/model.py" line="61"/>
        <source>%1 capital · %2 local</source>
        <translation>%1 بتوقيت العاصمة · %2 محليًا</translation>
    </message>
    <message>
        <location filename="../../app/ui/session_marking.py" line="57"/>
        <location filename="../../app/ui/widgets.py" line="29"/>
        <source>EXERCISE</source>
        <translation>تمرين</translation>
    </message>
    <message>
        <location filename="../../app/ui/session_marking.py" line="59"/>
        <source>⌛ DETAILS PENDING</source>
        <translation>⌛ التفاصيل قيد الانتظار</translation>
    </message>
    <message>
        <location filename="../../app/ui/session_marking.py" line="87"/>
        <source>NOT AN EXERCISE</source>
        <translation>ليست تمرينًا</translation>
    </message>
    <message>
        <location filename="../../app/ui/session_marking.py" line="109"/>
        <source>NOT AN EXERCISE: “%1”</source>
        <translation>ليست تمرينًا: «%1»</translation>
    </message>
    <message>
        <location filename="../../app/ui/session_marking.py" line="129"/>
        <source>This session&apos;s title and exercise mark have not been decrypted yet. Until they are, it is neither shown nor exported as a real session.</source>
        <translation>لم يُفكّ تشفير عنوان هذه الجلسة وعلامة التمرين بعد. وإلى أن يحدث ذلك، لا تُعرض ولا تُصدَّر على أنها جلسة حقيقية.</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets.py" line="59"/>
        <source>An answer is required.</source>
        <translation>الإجابة مطلوبة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="228"/>
        <source>This is not the account&apos;s recovery key. Nothing was restored.</source>
        <translation>هذا ليس مفتاح الاسترداد الخاص بالحساب. لم تتم استعادة أي شيء.</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="230"/>
        <source>This is not a recovery key: a character is missing or mistyped. Check it against your note.</source>
        <translation>هذا ليس مفتاح استرداد: هناك حرف ناقص أو مكتوب خطأً. قارنه بما دوّنته.</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="233"/>
        <source>This account has no recovery key yet.</source>
        <translation>لا يملك هذا الحساب مفتاح استرداد بعد.</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="234"/>
        <source>The server holds no key backup for this account.</source>
        <translation>لا يحتفظ الخادم بنسخة احتياطية من المفاتيح لهذا الحساب.</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="235"/>
        <source>The backup key is missing from the account&apos;s secret storage.</source>
        <translation>مفتاح النسخة الاحتياطية غير موجود في التخزين السري للحساب.</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="236"/>
        <source>The stored backup key does not open the server&apos;s backup.</source>
        <translation>مفتاح النسخة الاحتياطية المخزَّن لا يفتح النسخة الاحتياطية على الخادم.</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="238"/>
        <source>Another device of yours already made a recovery key: use Account → Restore history… with it.</source>
        <translation>أنشأ جهاز آخر لك مفتاح استرداد من قبل: استخدمه عبر الحساب ← استعادة السجل…</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="241"/>
        <source>The server could not be reached; try again.</source>
        <translation>تعذّر الوصول إلى الخادم؛ حاول مرة أخرى.</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="243"/>
        <source>Recovery failed: the account&apos;s key data is damaged.</source>
        <translation>فشل الاسترداد: بيانات مفاتيح الحساب تالفة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/overview/page.py" line="303"/>
        <source>&amp;Overview</source>
        <translation>&amp;نظرة عامة</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="41"/>
        <source>Proposals open</source>
        <translation>باب المقترحات مفتوح</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="42"/>
        <source>Paused</source>
        <translation>متوقفة مؤقتًا</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="43"/>
        <source>Vote open</source>
        <translation>التصويت مفتوح</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="44"/>
        <source>Closed</source>
        <translation>مغلقة</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="51"/>
        <source>this role may not propose</source>
        <translation>هذا الدور لا يحق له تقديم مقترحات</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="52"/>
        <source>this role may not vote</source>
        <translation>هذا الدور لا يحق له التصويت</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="53"/>
        <source>only the round&apos;s starter or a facilitator</source>
        <translation>فقط من بدأ الجولة أو الميسّر</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="54"/>
        <source>only facilitators, officials, diplomats</source>
        <translation>فقط الميسّرون والمسؤولون والدبلوماسيون</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="55"/>
        <source>sent while the round was paused</source>
        <translation>أُرسل أثناء إيقاف الجولة مؤقتًا</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="56"/>
        <source>sent after the vote had opened</source>
        <translation>أُرسل بعد فتح التصويت</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="57"/>
        <source>sent after the time box ended</source>
        <translation>أُرسل بعد انتهاء المهلة</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="58"/>
        <source>sent after the vote closed</source>
        <translation>أُرسل بعد إغلاق التصويت</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="59"/>
        <source>sent after the vote&apos;s time ended</source>
        <translation>أُرسل بعد انتهاء مهلة التصويت</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="60"/>
        <source>a second vote: the first one counts</source>
        <translation>صوت ثانٍ: يُحتسب الصوت الأول</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="61"/>
        <source>the proposal has no title</source>
        <translation>المقترح بلا عنوان</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="62"/>
        <source>not among the vote&apos;s answers</source>
        <translation>ليس ضمن خيارات التصويت</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="64"/>
        <source>spoiled: a selection is not among the vote&apos;s answers</source>
        <translation>باطل: أحد الاختيارات ليس ضمن خيارات التصويت</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/words.py" line="12"/>
        <source>Situation</source>
        <translation>الوضع</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/words.py" line="13"/>
        <source>Actions taken</source>
        <translation>الإجراءات المتخذة</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/words.py" line="14"/>
        <source>Decisions</source>
        <translation>القرارات</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/words.py" line="15"/>
        <source>Needs</source>
        <translation>الاحتياجات</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/words.py" line="16"/>
        <source>Outlook</source>
        <translation>التوقعات</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/words.py" line="21"/>
        <source>Not confirmed (listed apart)</source>
        <translation>غير مؤكد (مُدرج على حدة)</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/words.py" line="26"/>
        <source>Waiting for approval</source>
        <translation>بانتظار الاعتماد</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/words.py" line="27"/>
        <source>Returned to its author</source>
        <translation>أُعيد إلى كاتبه</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/words.py" line="28"/>
        <source>Approved</source>
        <translation>معتمد</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/words.py" line="29"/>
        <source>Published</source>
        <translation>منشور</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/words.py" line="36"/>
        <source>The author cannot approve or return their own sitrep.</source>
        <translation>لا يجوز للكاتب اعتماد تقريره أو إعادته بنفسه.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/words.py" line="37"/>
        <source>Only a participant with the official role approves sitreps.</source>
        <translation>لا يعتمد تقارير الوضع إلا مشارك بدور مسؤول.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/words.py" line="38"/>
        <source>Only the sitrep&apos;s author may revise it.</source>
        <translation>لا يعدّل تقرير الوضع إلا كاتبه.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/words.py" line="39"/>
        <source>This sitrep is not waiting for approval.</source>
        <translation>تقرير الوضع هذا ليس بانتظار الاعتماد.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/words.py" line="40"/>
        <source>It answers a revision that has since been replaced.</source>
        <translation>يخص نسخة استُبدلت منذ ذلك الحين.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/words.py" line="41"/>
        <source>Published without a valid approval.</source>
        <translation>نُشر دون اعتماد صحيح.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/words.py" line="42"/>
        <source>The sender&apos;s role does not allow it (forged).</source>
        <translation>دور المرسل لا يسمح بذلك (مزوّر).</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/words.py" line="43"/>
        <source>Say why the sitrep is returned.</source>
        <translation>اذكر سبب إعادة تقرير الوضع.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/words.py" line="44"/>
        <source>The sitrep needs a title.</source>
        <translation>يحتاج تقرير الوضع إلى عنوان.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/words.py" line="45"/>
        <source>The sitrep is empty.</source>
        <translation>تقرير الوضع فارغ.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/words.py" line="46"/>
        <source>This is not a session you are in.</source>
        <translation>لست مشاركًا في هذه الجلسة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/words.py" line="47"/>
        <source>Your role does not compile sitreps.</source>
        <translation>دورك لا يسمح بإعداد تقارير الوضع.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/words.py" line="49"/>
        <source>This session&apos;s details (whether it is an exercise) are not decrypted yet: a sitrep sent now could go out as real. Try again once they arrive.</source>
        <translation>لم تُفكّ بعدُ تفاصيل هذه الجلسة (هل هي تمرين أم لا): تقرير الوضع المرسل الآن قد يُعدّ حقيقيًا. أعد المحاولة عند وصولها.</translation>
    </message>
    <message>
        <location filename="../../app/ui/rooms/activity.py" line="52"/>
        <source>Encrypted message</source>
        <translation>رسالة مشفّرة</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/quit_warning.py" line="22"/>
        <source>Messages still waiting</source>
        <translation>رسائل ما زالت تنتظر</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/shell/quit_warning.py" line="26"/>
        <source>%n messages are still waiting to send. They will be sent next time you open the app.</source>
        <translation>
            <numerusform>لا رسائل تنتظر الإرسال.</numerusform>
            <numerusform>ما زالت رسالة واحدة تنتظر الإرسال. ستُرسل عندما تفتح التطبيق في المرة القادمة.</numerusform>
            <numerusform>ما زالت رسالتان تنتظران الإرسال. ستُرسلان عندما تفتح التطبيق في المرة القادمة.</numerusform>
            <numerusform>ما زالت %n رسائل تنتظر الإرسال. ستُرسل عندما تفتح التطبيق في المرة القادمة.</numerusform>
            <numerusform>ما زالت %n رسالة تنتظر الإرسال. ستُرسل عندما تفتح التطبيق في المرة القادمة.</numerusform>
            <numerusform>ما زالت %n رسالة تنتظر الإرسال. ستُرسل عندما تفتح التطبيق في المرة القادمة.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/quit_warning.py" line="33"/>
        <source>&amp;Quit</source>
        <translation>&amp;إنهاء</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/quit_warning.py" line="34"/>
        <source>&amp;Stay</source>
        <translation>ال&amp;بقاء</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/trust_badge.py" line="22"/>
        <source>verified</source>
        <translation>موثَّق</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/trust_badge.py" line="23"/>
        <source>not yet verified</source>
        <translation>لم يُوثَّق بعد</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/trust_badge.py" line="24"/>
        <source>unverified device present</source>
        <translation>لديه جهاز غير موثَّق</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/trust_badge.py" line="25"/>
        <location filename="../../app/ui/timeline/delegate.py" line="47"/>
        <source>identity changed</source>
        <translation>تغيّرت الهوية</translation>
    </message>
    <message>
        <location filename="../../app/ui/rooms/room_list_model.py" line="119"/>
        <source>%1 (no longer a member)</source>
        <translation>%1 (لم تعد عضوًا)</translation>
    </message>
</context>
<context>
    <name>ArchivePassphraseDialog</name>
    <message>
        <location filename="../../app/ui/shell/archive_passphrase.py" line="42"/>
        <source>Archive passphrase</source>
        <translation>عبارة مرور الأرشيف</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/archive_passphrase.py" line="47"/>
        <source>This computer has no system keyring, so the archive that keeps every message of %1 on this computer will be encrypted with a passphrase you choose now. It is asked for at each start.</source>
        <translation>لا توجد على هذا الحاسوب سلسلة مفاتيح للنظام، لذلك سيُشفَّر الأرشيف الذي يحفظ كل رسائل %1 على هذا الحاسوب بعبارة مرور تختارها الآن. وستُطلب منك عند كل تشغيل.</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/archive_passphrase.py" line="53"/>
        <source>The archive on this computer keeps every message of %1, encrypted with a passphrase because this computer has no system keyring. Type the passphrase to open it.</source>
        <translation>يحفظ الأرشيف على هذا الحاسوب كل رسائل %1، مشفَّرةً بعبارة مرور لأن هذا الحاسوب لا يملك سلسلة مفاتيح للنظام. اكتب عبارة المرور لفتحه.</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/archive_passphrase.py" line="60"/>
        <source>Nobody can recover a forgotten passphrase: without it, the archive on this computer cannot be opened.</source>
        <translation>لا يستطيع أحد استعادة عبارة مرور منسية: بدونها لا يمكن فتح الأرشيف على هذا الحاسوب.</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/archive_passphrase.py" line="64"/>
        <source>This passphrase does not open the archive.</source>
        <translation>عبارة المرور هذه لا تفتح الأرشيف.</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/archive_passphrase.py" line="67"/>
        <source>Passphrase</source>
        <translation>عبارة المرور</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/archive_passphrase.py" line="68"/>
        <source>Repeat the passphrase</source>
        <translation>أعد كتابة عبارة المرور</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/archive_passphrase.py" line="70"/>
        <source>&amp;Open archive</source>
        <translation>&amp;فتح الأرشيف</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/archive_passphrase.py" line="86"/>
        <source>The two passphrases differ.</source>
        <translation>عبارتا المرور مختلفتان.</translation>
    </message>
</context>
<context>
    <name>AttentionButton</name>
    <message>
        <location filename="../../app/ui/instructions/attention.py" line="85"/>
        <source>%1 instruction to acknowledge: %2 — %3</source>
        <translation>تعليمات %1 بانتظار الإقرار: %2 — %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/attention.py" line="87"/>
        <source>%1 instruction overdue: %2 — %3</source>
        <translation>تعليمات %1 متأخرة: %2 — %3</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/instructions/attention.py" line="102"/>
        <source>%n need attention</source>
        <translation>
            <numerusform>لا شيء يحتاج إلى انتباه</numerusform>
            <numerusform>أمر واحد يحتاج إلى انتباه</numerusform>
            <numerusform>أمران يحتاجان إلى انتباه</numerusform>
            <numerusform>%n أمور تحتاج إلى انتباه</numerusform>
            <numerusform>%n أمرًا يحتاج إلى انتباه</numerusform>
            <numerusform>%n أمر يحتاج إلى انتباه</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ChartDialog</name>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="59"/>
        <source>Define a chart</source>
        <translation>تعريف رسم بياني</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="62"/>
        <source>made from the title</source>
        <translation>يُشتق من العنوان</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="67"/>
        <source>evacuated, displaced</source>
        <translation>evacuated, displaced</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="69"/>
        <source>people</source>
        <translation>أشخاص</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="72"/>
        <source>&amp;Title:</source>
        <translation>&amp;العنوان:</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="73"/>
        <source>Chart &amp;id:</source>
        <translation>&amp;معرّف الرسم:</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="74"/>
        <source>&amp;Kind:</source>
        <translation>ال&amp;نوع:</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="75"/>
        <source>&amp;Series (comma-separated):</source>
        <translation>&amp;السلاسل (مفصولة بفواصل):</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="76"/>
        <source>&amp;Unit:</source>
        <translation>&amp;الوحدة:</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="95"/>
        <source>The chart needs a title.</source>
        <translation>يحتاج الرسم إلى عنوان.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="99"/>
        <source>Cannot define this chart: %1</source>
        <translation>لا يمكن تعريف هذا الرسم: %1</translation>
    </message>
</context>
<context>
    <name>ChartsController</name>
    <message>
        <location filename="../../app/ui/charts/controller.py" line="23"/>
        <source>The chart was not defined:</source>
        <translation>لم يُعرَّف المخطط:</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/controller.py" line="26"/>
        <source>&amp;Charts</source>
        <translation>المخ&amp;ططات</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/controller.py" line="88"/>
        <source>Chart %1 defined.</source>
        <translation>عُرِّف المخطط %1.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/charts/controller.py" line="111"/>
        <source>%n values sent.</source>
        <translation>
            <numerusform>لم تُرسل أي قيمة.</numerusform>
            <numerusform>أُرسلت قيمة واحدة.</numerusform>
            <numerusform>أُرسلت قيمتان.</numerusform>
            <numerusform>أُرسلت %n قيم.</numerusform>
            <numerusform>أُرسلت %n قيمة.</numerusform>
            <numerusform>أُرسلت %n قيمة.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/controller.py" line="127"/>
        <source>PNG images (*.png)</source>
        <translation>صور PNG (*.png)</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/controller.py" line="128"/>
        <source>Web pages (*.html)</source>
        <translation>صفحات ويب (*.html)</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/controller.py" line="129"/>
        <source>CSV files (*.csv)</source>
        <translation>ملفات CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/controller.py" line="133"/>
        <source>Export chart</source>
        <translation>تصدير الرسم</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/controller.py" line="146"/>
        <source>The chart could not be saved to %1.</source>
        <translation>تعذّر حفظ الرسم في %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/controller.py" line="150"/>
        <source>Saved %1.</source>
        <translation>حُفظ %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/controller.py" line="155"/>
        <source>The value was not sent: %1</source>
        <translation>لم تُرسل القيمة: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/controller.py" line="156"/>
        <source>A row was not sent: %1</source>
        <translation>لم يُرسل صف: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/controller.py" line="157"/>
        <source>The export failed: %1</source>
        <translation>فشل التصدير: %1</translation>
    </message>
</context>
<context>
    <name>ChartsPage</name>
    <message>
        <location filename="../../app/ui/charts/view.py" line="134"/>
        <source>Refused values</source>
        <translation>القيم المرفوضة</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/view.py" line="135"/>
        <source>Refused values (not plotted)</source>
        <translation>القيم المرفوضة (لا تُرسم)</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/view.py" line="144"/>
        <location filename="../../app/ui/charts/view.py" line="257"/>
        <source>Choose a room of a crisis session to see its charts.</source>
        <translation>اختر غرفة من جلسة أزمة لعرض رسومها البيانية.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/view.py" line="161"/>
        <source>De&amp;fine chart…</source>
        <translation>&amp;تعريف رسم…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/view.py" line="162"/>
        <source>Add &amp;value…</source>
        <translation>إضافة &amp;قيمة…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/view.py" line="163"/>
        <source>Import &amp;CSV…</source>
        <translation>ا&amp;ستيراد CSV…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/view.py" line="165"/>
        <source>Chart to export</source>
        <translation>الرسم المراد تصديره</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/view.py" line="167"/>
        <source>E&amp;xport</source>
        <translation>ت&amp;صدير</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/view.py" line="171"/>
        <source>Chart as &amp;PNG image…</source>
        <translation>الرسم كصورة &amp;PNG…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/view.py" line="172"/>
        <source>Chart as self-contained &amp;HTML…</source>
        <translation>الرسم كصفحة &amp;HTML مستقلة…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/view.py" line="173"/>
        <source>&amp;Values as CSV…</source>
        <translation>&amp;القيم كملف CSV…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/view.py" line="255"/>
        <source>No charts yet. An official defines one with Define chart.</source>
        <translation>لا توجد رسوم بيانية بعد. يعرّف المسؤول رسماً من «تعريف رسم».</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/view.py" line="306"/>
        <source>(no series)</source>
        <translation>(بلا سلسلة)</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/view.py" line="307"/>
        <source>%1 from %2: %3</source>
        <translation>%1 من %2: %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/view.py" line="303"/>
        <source>Chart “%1” from %2, not applied: %3</source>
        <translation>الرسم البياني «%1» من %2، لم يُطبَّق: %3</translation>
    </message>
</context>
<context>
    <name>CommandDialog</name>
    <message>
        <location filename="../../app/ui/commands.py" line="110"/>
        <source>Sending…</source>
        <translation>جارٍ الإرسال…</translation>
    </message>
</context>
<context>
    <name>ComposeContext</name>
    <message>
        <location filename="../../app/ui/shell/compose_context.py" line="42"/>
        <location filename="../../app/ui/shell/compose_context.py" line="43"/>
        <source>Cancel (Esc)</source>
        <translation>إلغاء (Esc)</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/compose_context.py" line="54"/>
        <source>Replying in the thread of %1: %2</source>
        <translation>ردّ في سلسلة %1: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/compose_context.py" line="59"/>
        <source>Editing your message (the original stays in the record)</source>
        <translation>تعديل رسالتك (يبقى الأصل في السجل)</translation>
    </message>
</context>
<context>
    <name>ConnectionBar</name>
    <message numerus="yes">
        <location filename="../../app/ui/shell/connection_bar.py" line="71"/>
        <source>Connection lost — %n waiting to send.</source>
        <translation>
            <numerusform>انقطع الاتصال — لا شيء بانتظار الإرسال.</numerusform>
            <numerusform>انقطع الاتصال — رسالة واحدة بانتظار الإرسال.</numerusform>
            <numerusform>انقطع الاتصال — رسالتان بانتظار الإرسال.</numerusform>
            <numerusform>انقطع الاتصال — %n رسائل بانتظار الإرسال.</numerusform>
            <numerusform>انقطع الاتصال — %n رسالة بانتظار الإرسال.</numerusform>
            <numerusform>انقطع الاتصال — %n رسالة بانتظار الإرسال.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/connection_bar.py" line="73"/>
        <source>Next try in %1 s.</source>
        <translation>المحاولة التالية بعد %1 ث.</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/connection_bar.py" line="75"/>
        <source>Trying to reconnect…</source>
        <translation>جارٍ إعادة الاتصال…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/shell/connection_bar.py" line="79"/>
        <source>Reconnecting… %n waiting to send.</source>
        <translation>
            <numerusform>جارٍ إعادة الاتصال… لا شيء بانتظار الإرسال.</numerusform>
            <numerusform>جارٍ إعادة الاتصال… رسالة واحدة بانتظار الإرسال.</numerusform>
            <numerusform>جارٍ إعادة الاتصال… رسالتان بانتظار الإرسال.</numerusform>
            <numerusform>جارٍ إعادة الاتصال… %n رسائل بانتظار الإرسال.</numerusform>
            <numerusform>جارٍ إعادة الاتصال… %n رسالة بانتظار الإرسال.</numerusform>
            <numerusform>جارٍ إعادة الاتصال… %n رسالة بانتظار الإرسال.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConveneDialog</name>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="67"/>
        <source>Convene crisis session</source>
        <translation>عقد جلسة أزمة</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="77"/>
        <source>This is an &amp;exercise</source>
        <translation>هذا &amp;تمرين</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="78"/>
        <source>Outreach room for influencers</source>
        <translation>غرفة تواصل للمؤثّرين</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="80"/>
        <source>Outreach room without end-to-end encryption</source>
        <translation>غرفة التواصل بلا تشفير من طرف إلى طرف</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="83"/>
        <source>&amp;Title:</source>
        <translation>&amp;العنوان:</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="84"/>
        <source>&amp;Kind of crisis:</source>
        <translation>&amp;نوع الأزمة:</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="85"/>
        <source>&amp;Capital time zone:</source>
        <translation>&amp;المنطقة الزمنية للعاصمة:</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="86"/>
        <source>C&amp;lassification:</source>
        <translation>&amp;التصنيف:</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="92"/>
        <source>Id</source>
        <translation>المعرّف</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="92"/>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="97"/>
        <source>Name</source>
        <translation>الاسم</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="92"/>
        <source>Location</source>
        <translation>المكان</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="92"/>
        <source>Time zone</source>
        <translation>المنطقة الزمنية</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="96"/>
        <source>Matrix id</source>
        <translation>معرّف Matrix</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="98"/>
        <source>Role</source>
        <translation>الدور</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="99"/>
        <source>Delegation</source>
        <translation>الوفد</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="100"/>
        <source>Title</source>
        <translation>الصفة</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="105"/>
        <source>Con&amp;vene</source>
        <translation>&amp;عقد</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="109"/>
        <source>Delegations</source>
        <translation>الوفود</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="111"/>
        <source>Participants</source>
        <translation>المشاركون</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="124"/>
        <source>Add</source>
        <translation>إضافة</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="127"/>
        <source>Remove</source>
        <translation>إزالة</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="210"/>
        <source>The session needs a title.</source>
        <translation>تحتاج الجلسة إلى عنوان.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="211"/>
        <source>Unknown kind of crisis: %1</source>
        <translation>نوع أزمة غير معروف: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="212"/>
        <source>Not a time zone: %1 (e.g. Europe/Geneva)</source>
        <translation>ليست منطقة زمنية: %1 (مثل Europe/Geneva)</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="213"/>
        <source>Delegation %1 is listed twice.</source>
        <translation>الوفد %1 مذكور مرتين.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="214"/>
        <source>Delegation id %1: use a-z, 0-9, - or _.</source>
        <translation>معرّف الوفد %1: استخدم a-z و0-9 و- أو _.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="215"/>
        <source>Delegation %1 needs a name.</source>
        <translation>يحتاج الوفد %1 إلى اسم.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="216"/>
        <source>Not a Matrix user id: %1 (expected @name:server)</source>
        <translation>ليس معرّف مستخدم Matrix: %1 (المتوقع ‎@name:server)</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="217"/>
        <source>%1 is listed twice.</source>
        <translation>%1 مذكور مرتين.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="218"/>
        <source>%1 is a delegate: choose a delegation.</source>
        <translation>%1 عضو وفد: اختر وفدًا.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="219"/>
        <source>No delegation with id %1.</source>
        <translation>لا يوجد وفد بالمعرّف %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/convene_dialog.py" line="221"/>
        <source>Too long (at most 200 characters; 80 for a name, 64 for a classification): %1…</source>
        <translation>طويل جدًا (200 حرف على الأكثر؛ 80 للاسم و64 للتصنيف): %1…</translation>
    </message>
</context>
<context>
    <name>CrossSigningController</name>
    <message>
        <location filename="../../app/ui/trust/controller.py" line="38"/>
        <source>&amp;Verification of this device…</source>
        <translation>ال&amp;تحقق من هذا الجهاز…</translation>
    </message>
    <message>
        <location filename="../../app/ui/trust/controller.py" line="41"/>
        <source>&amp;Account</source>
        <translation>ال&amp;حساب</translation>
    </message>
    <message>
        <location filename="../../app/ui/trust/controller.py" line="48"/>
        <source>The server did not accept this password. Type it again.</source>
        <translation>لم يقبل الخادم كلمة المرور هذه. اكتبها مرة أخرى.</translation>
    </message>
    <message>
        <location filename="../../app/ui/trust/controller.py" line="92"/>
        <source>Verification of this device</source>
        <translation>التحقق من هذا الجهاز</translation>
    </message>
    <message>
        <location filename="../../app/ui/trust/controller.py" line="94"/>
        <source>Enter recovery key…</source>
        <translation>أدخل مفتاح الاسترداد…</translation>
    </message>
    <message>
        <location filename="../../app/ui/trust/controller.py" line="107"/>
        <source>Set up verification (your password is needed)…</source>
        <translation>إعداد التحقق (كلمة المرور مطلوبة)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/trust/controller.py" line="108"/>
        <source>This device is not verified…</source>
        <translation>هذا الجهاز غير موثَّق…</translation>
    </message>
    <message>
        <location filename="../../app/ui/trust/controller.py" line="109"/>
        <source>Keep your verification keys safe…</source>
        <translation>احفظ مفاتيح التحقق في مكان آمن…</translation>
    </message>
    <message>
        <location filename="../../app/ui/trust/controller.py" line="116"/>
        <source>Verification is set up on this device. Enter your recovery key once so that its keys are kept behind it too: your other devices can then verify themselves with it.</source>
        <translation>أُعدّ التحقق على هذا الجهاز. أدخل مفتاح الاسترداد مرة واحدة كي تُحفظ مفاتيحه خلفه أيضًا: عندئذٍ تستطيع أجهزتك الأخرى أن تُثبت نفسها به.</translation>
    </message>
    <message>
        <location filename="../../app/ui/trust/controller.py" line="121"/>
        <source>Your account is already set up for verification, but this device is not verified yet. Enter your recovery key, or verify it by emoji from another device of yours (Session → Verify participant…, on yourself). Until then, what you do from this device does not count in delegation and restricted rooms.</source>
        <translation>حسابك مُعدّ للتحقق من قبل، لكن هذا الجهاز لم يُوثَّق بعد. أدخل مفتاح الاسترداد، أو تحقّق منه بالرموز التعبيرية من جهاز آخر لك (الجلسة ← تحقّق من مشارك…، على نفسك). وإلى ذلك الحين لا يُحتسب ما تفعله من هذا الجهاز في غرف الوفود والغرف المقيّدة.</translation>
    </message>
</context>
<context>
    <name>CsvImportDialog</name>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="165"/>
        <source>Import a CSV of a series</source>
        <translation>استيراد ملف CSV لسلسلة</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="173"/>
        <source>&amp;Choose file…</source>
        <translation>&amp;اختيار ملف…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="181"/>
        <source>Columns: at (ISO 8601 date and time; UTC unless it says otherwise), value; optional region, unit, source.</source>
        <translation>الأعمدة: at (التاريخ والوقت بصيغة ISO 8601، بالتوقيت العالمي ما لم يُذكر غيره)، value؛ واختيارياً region وunit وsource.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="191"/>
        <source>Line</source>
        <translation>السطر</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="191"/>
        <source>At</source>
        <translation>الوقت</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="191"/>
        <source>Value</source>
        <translation>القيمة</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="191"/>
        <source>Region</source>
        <translation>المنطقة</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="199"/>
        <source>&amp;Publish</source>
        <translation>&amp;نشر</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="201"/>
        <source>&amp;Series:</source>
        <translation>&amp;السلسلة:</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="202"/>
        <source>&amp;File:</source>
        <translation>&amp;الملف:</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="210"/>
        <source>Refused rows:</source>
        <translation>الصفوف المرفوضة:</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="217"/>
        <source>CSV file</source>
        <translation>ملف CSV</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="217"/>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>ملفات CSV (*.csv);;كل الملفات (*)</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="229"/>
        <source>Reading the file…</source>
        <translation>جارٍ قراءة الملف…</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="240"/>
        <source>The file cannot be imported: %1</source>
        <translation>لا يمكن استيراد الملف: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/charts/dialogs.py" line="243"/>
        <source>%n rows will be published;</source>
        <translation>
            <numerusform>لن يُنشر أي صف؛</numerusform>
            <numerusform>سيُنشر صف واحد؛</numerusform>
            <numerusform>سيُنشر صفّان؛</numerusform>
            <numerusform>ستُنشر %n صفوف؛</numerusform>
            <numerusform>سيُنشر %n صفًا؛</numerusform>
            <numerusform>سيُنشر %n صف؛</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/charts/dialogs.py" line="244"/>
        <source>%n rows are refused.</source>
        <translation>
            <numerusform>ولم يُرفض أي صف.</numerusform>
            <numerusform>ورُفض صف واحد.</numerusform>
            <numerusform>ورُفض صفّان.</numerusform>
            <numerusform>ورُفضت %n صفوف.</numerusform>
            <numerusform>ورُفض %n صفًا.</numerusform>
            <numerusform>ورُفض %n صف.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="261"/>
        <source>Line %1: %2 (%3)</source>
        <translation>السطر %1: %2 (%3)</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="266"/>
        <source>Nothing to publish: choose a file with valid rows.</source>
        <translation>لا شيء للنشر: اختر ملفاً فيه صفوف صالحة.</translation>
    </message>
</context>
<context>
    <name>DeadlineField</name>
    <message>
        <location filename="../../app/ui/instructions/dialogs.py" line="38"/>
        <source>Dea&amp;dline</source>
        <translation>المو&amp;عد النهائي</translation>
    </message>
</context>
<context>
    <name>EntryComposer</name>
    <message>
        <location filename="../../app/ui/timeline/entry_composer.py" line="37"/>
        <source>New timeline entry</source>
        <translation>قيد جديد في الخط الزمني</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/entry_composer.py" line="52"/>
        <source>comma between tags</source>
        <translation>فاصلة بين الوسوم</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/entry_composer.py" line="54"/>
        <source>semicolon between sources</source>
        <translation>فاصلة منقوطة بين المصادر</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/entry_composer.py" line="60"/>
        <source>&amp;Kind:</source>
        <translation>ال&amp;نوع:</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/entry_composer.py" line="61"/>
        <source>&amp;Title:</source>
        <translation>&amp;العنوان:</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/entry_composer.py" line="62"/>
        <source>&amp;Body:</source>
        <translation>الن&amp;ص:</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/entry_composer.py" line="63"/>
        <source>&amp;Happened at:</source>
        <translation>&amp;وقع في:</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/entry_composer.py" line="64"/>
        <source>&amp;Location:</source>
        <translation>ال&amp;مكان:</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/entry_composer.py" line="65"/>
        <source>T&amp;ags:</source>
        <translation>الو&amp;سوم:</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/entry_composer.py" line="66"/>
        <source>&amp;Sources:</source>
        <translation>الم&amp;صادر:</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/entry_composer.py" line="67"/>
        <source>&amp;Verification:</source>
        <translation>ال&amp;تحقق:</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/entry_composer.py" line="90"/>
        <source>An entry needs a title of at most 300 characters.</source>
        <translation>يحتاج القيد إلى عنوان لا يتجاوز 300 حرف.</translation>
    </message>
</context>
<context>
    <name>ExerciseBar</name>
    <message>
        <location filename="../../app/ui/exercise/bar.py" line="70"/>
        <source>Exercise</source>
        <translation>التمرين</translation>
    </message>
    <message>
        <location filename="../../app/ui/exercise/bar.py" line="76"/>
        <source>The exercise could not start.</source>
        <translation>تعذّر بدء التمرين.</translation>
    </message>
    <message>
        <location filename="../../app/ui/exercise/bar.py" line="88"/>
        <location filename="../../app/ui/exercise/bar.py" line="118"/>
        <source>&amp;Pause</source>
        <translation>إي&amp;قاف مؤقت</translation>
    </message>
    <message>
        <location filename="../../app/ui/exercise/bar.py" line="92"/>
        <location filename="../../app/ui/exercise/bar.py" line="126"/>
        <source>%1×</source>
        <translation>%1×</translation>
    </message>
    <message>
        <location filename="../../app/ui/exercise/bar.py" line="94"/>
        <source>Ne&amp;xt inject</source>
        <translation>المُدخل ال&amp;تالي</translation>
    </message>
    <message>
        <location filename="../../app/ui/exercise/bar.py" line="96"/>
        <source>Evaluator &amp;notes…</source>
        <translation>&amp;ملاحظات المقيّم…</translation>
    </message>
    <message>
        <location filename="../../app/ui/exercise/bar.py" line="117"/>
        <source>&amp;Start</source>
        <translation>ا&amp;بدأ</translation>
    </message>
    <message>
        <location filename="../../app/ui/exercise/bar.py" line="119"/>
        <source>&amp;Resume</source>
        <translation>ا&amp;ستئناف</translation>
    </message>
    <message>
        <location filename="../../app/ui/exercise/bar.py" line="120"/>
        <source>Finished</source>
        <translation>انتهى</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/exercise/bar.py" line="128"/>
        <source>%1 of %n injects</source>
        <translation>
            <numerusform>%1 من أصل لا مدخلات</numerusform>
            <numerusform>%1 من أصل مُدخَل واحد</numerusform>
            <numerusform>%1 من أصل مُدخَلين</numerusform>
            <numerusform>%1 من أصل %n مدخلات</numerusform>
            <numerusform>%1 من أصل %n مُدخَلًا</numerusform>
            <numerusform>%1 من أصل %n مُدخَل</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/exercise/bar.py" line="130"/>
        <source>%n failed</source>
        <translation>
            <numerusform>لم يفشل شيء</numerusform>
            <numerusform>فشل واحد</numerusform>
            <numerusform>فشل اثنان</numerusform>
            <numerusform>فشلت %n</numerusform>
            <numerusform>فشل %n</numerusform>
            <numerusform>فشل %n</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/exercise/bar.py" line="133"/>
        <source>Failed injects:
%1</source>
        <translation>مدخلات فشلت:
%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/exercise/bar.py" line="149"/>
        <source>ready</source>
        <translation>جاهز</translation>
    </message>
    <message>
        <location filename="../../app/ui/exercise/bar.py" line="150"/>
        <source>running</source>
        <translation>جارٍ</translation>
    </message>
    <message>
        <location filename="../../app/ui/exercise/bar.py" line="151"/>
        <source>paused</source>
        <translation>متوقف مؤقتًا</translation>
    </message>
    <message>
        <location filename="../../app/ui/exercise/bar.py" line="152"/>
        <source>finished</source>
        <translation>انتهى</translation>
    </message>
    <message>
        <location filename="../../app/ui/exercise/bar.py" line="156"/>
        <source>Exercise clock %1 (%2)</source>
        <translation>ساعة التمرين %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/exercise/bar.py" line="162"/>
        <source>Real time %1</source>
        <translation>الوقت الفعلي %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/exercise/bar.py" line="178"/>
        <location filename="../../app/ui/exercise/bar.py" line="187"/>
        <location filename="../../app/ui/exercise/bar.py" line="192"/>
        <source>Run exercise</source>
        <translation>تشغيل تمرين</translation>
    </message>
    <message>
        <location filename="../../app/ui/exercise/bar.py" line="178"/>
        <source>Scenarios (*.yaml *.yml)</source>
        <translation>السيناريوهات (*.yaml *.yml)</translation>
    </message>
    <message>
        <location filename="../../app/ui/exercise/bar.py" line="191"/>
        <source>The scenario is refused:
%1</source>
        <translation>رُفض السيناريو:
%1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/exercise/bar.py" line="202"/>
        <source>%n notes so far</source>
        <translation>
            <numerusform>لا ملاحظات حتى الآن</numerusform>
            <numerusform>ملاحظة واحدة حتى الآن</numerusform>
            <numerusform>ملاحظتان حتى الآن</numerusform>
            <numerusform>%n ملاحظات حتى الآن</numerusform>
            <numerusform>%n ملاحظة حتى الآن</numerusform>
            <numerusform>%n ملاحظة حتى الآن</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Host</name>
    <message>
        <location filename="../../app/ui/host.py" line="108"/>
        <source>Something went wrong in the background.</source>
        <translation>حدث خطأ في الخلفية.</translation>
    </message>
</context>
<context>
    <name>InstructionDialog</name>
    <message>
        <location filename="../../app/ui/instructions/dialogs.py" line="92"/>
        <source>New instruction</source>
        <translation>تعليمات جديدة</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/dialogs.py" line="106"/>
        <source>Requires ac&amp;knowledgement</source>
        <translation>تتطلب إ&amp;قرارًا بالاستلام</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/dialogs.py" line="111"/>
        <source>(nothing)</source>
        <translation>(لا شيء)</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/dialogs.py" line="115"/>
        <source>(no request)</source>
        <translation>(بلا طلب)</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/dialogs.py" line="119"/>
        <source>(new)</source>
        <translation>(جديدة)</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/dialogs.py" line="121"/>
        <source>(untitled)</source>
        <translation>(بلا عنوان)</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/dialogs.py" line="124"/>
        <source>Save &amp;draft</source>
        <translation>حفظ &amp;مسودة</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/dialogs.py" line="130"/>
        <source>D&amp;rafts:</source>
        <translation>المس&amp;ودات:</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/dialogs.py" line="131"/>
        <source>&amp;Subject:</source>
        <translation>ال&amp;موضوع:</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/dialogs.py" line="132"/>
        <source>&amp;Text:</source>
        <translation>ال&amp;نص:</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/dialogs.py" line="133"/>
        <source>&amp;Priority:</source>
        <translation>الأ&amp;ولوية:</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/dialogs.py" line="134"/>
        <source>&amp;Action:</source>
        <translation>لل&amp;تنفيذ:</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/dialogs.py" line="135"/>
        <source>&amp;Information:</source>
        <translation>لل&amp;علم:</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/dialogs.py" line="138"/>
        <source>&amp;Classification:</source>
        <translation>الت&amp;صنيف:</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/dialogs.py" line="139"/>
        <source>Su&amp;persedes:</source>
        <translation>ت&amp;حل محل:</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/dialogs.py" line="140"/>
        <source>Ans&amp;wers request:</source>
        <translation>ت&amp;جيب عن طلب:</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/dialogs.py" line="181"/>
        <source>The instruction needs a subject.</source>
        <translation>التعليمات تحتاج إلى موضوع.</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/dialogs.py" line="182"/>
        <source>Choose at least one delegation.</source>
        <translation>اختر وفدًا واحدًا على الأقل.</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/dialogs.py" line="183"/>
        <source>Choose a priority.</source>
        <translation>اختر الأولوية.</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/dialogs.py" line="184"/>
        <source>The deadline has already passed.</source>
        <translation>انقضى الموعد النهائي بالفعل.</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/dialogs.py" line="185"/>
        <source>The text is too long for one instruction.</source>
        <translation>النص أطول من أن يكون تعليمات واحدة.</translation>
    </message>
</context>
<context>
    <name>InstructionsController</name>
    <message>
        <location filename="../../app/ui/instructions/controller.py" line="58"/>
        <source>The instruction could not be handled.</source>
        <translation>تعذّر تنفيذ طلب التعليمات.</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/controller.py" line="60"/>
        <source>Saved instruction drafts could not be read; the file was kept aside.</source>
        <translation>تعذّرت قراءة مسودات التعليمات المحفوظة؛ حُفظ الملف جانبًا.</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/controller.py" line="67"/>
        <source>&amp;Instructions</source>
        <translation>ال&amp;تعليمات</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/controller.py" line="106"/>
        <source>⌛ DETAILS PENDING — %1</source>
        <translation>⌛ التفاصيل قيد الانتظار — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/controller.py" line="107"/>
        <source>EXERCISE — %1</source>
        <translation>تمرين — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/controller.py" line="113"/>
        <source>%1 instruction</source>
        <translation>تعليمات %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/controller.py" line="122"/>
        <source>Still not acknowledged</source>
        <translation>لم يُقَرّ بالاستلام بعد</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/controller.py" line="128"/>
        <source>Instruction overdue</source>
        <translation>تعليمات متأخرة</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/controller.py" line="131"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
</context>
<context>
    <name>InstructionsModel</name>
    <message>
        <location filename="../../app/ui/instructions/model.py" line="106"/>
        <source>Priority</source>
        <translation>الأولوية</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/model.py" line="107"/>
        <source>Subject</source>
        <translation>الموضوع</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/model.py" line="108"/>
        <source>Delegation</source>
        <translation>الوفد</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/model.py" line="109"/>
        <source>State</source>
        <translation>الحالة</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/model.py" line="110"/>
        <source>Issued</source>
        <translation>صدرت</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/model.py" line="111"/>
        <source>Deadline</source>
        <translation>الموعد النهائي</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/model.py" line="112"/>
        <source>Age</source>
        <translation>العمر</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/model.py" line="135"/>
        <source>Superseded by a newer instruction</source>
        <translation>حلّت محلها تعليمات أحدث</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/model.py" line="148"/>
        <source>%1 (for information)</source>
        <translation>%1 (للعلم)</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/model.py" line="152"/>
        <source>%1 (via another client)</source>
        <translation>%1 (عبر تطبيق آخر)</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/model.py" line="153"/>
        <source>%1 — overdue</source>
        <translation>%1 — متأخرة</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/instructions/model.py" line="159"/>
        <source>%n min</source>
        <translation>
            <numerusform>%n دقيقة</numerusform>
            <numerusform>دقيقة واحدة</numerusform>
            <numerusform>دقيقتان</numerusform>
            <numerusform>%n دقائق</numerusform>
            <numerusform>%n دقيقة</numerusform>
            <numerusform>%n دقيقة</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>InstructionsPage</name>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="83"/>
        <source>&amp;New instruction…</source>
        <translation>تعليمات &amp;جديدة…</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="85"/>
        <source>Re&amp;quest instructions…</source>
        <translation>&amp;طلب تعليمات…</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="114"/>
        <source>Instructions</source>
        <translation>التعليمات</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="122"/>
        <source>&amp;Acknowledge</source>
        <translation>إ&amp;قرار بالاستلام</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="123"/>
        <source>&amp;Done</source>
        <translation>&amp;نُفّذت</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="124"/>
        <source>&amp;Unable…</source>
        <translation>&amp;تعذّر التنفيذ…</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="125"/>
        <source>Ask to c&amp;larify…</source>
        <translation>طلب &amp;توضيح…</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="140"/>
        <source>Instruction</source>
        <translation>التعليمات</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="141"/>
        <source>Requests</source>
        <translation>الطلبات</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="142"/>
        <source>Audit</source>
        <translation>التدقيق</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="193"/>
        <source>Choose a room of a crisis session to see its instructions.</source>
        <translation>اختر غرفة من جلسة أزمة لعرض تعليماتها.</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="196"/>
        <source>%1 — status board</source>
        <translation>%1 — لوحة المتابعة</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="200"/>
        <source>%1 — instructions to %2</source>
        <translation>%1 — التعليمات إلى %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="202"/>
        <source>%1 — no instructions for your role</source>
        <translation>%1 — لا تعليمات لدورك</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/instructions/view.py" line="214"/>
        <source>%n instruction messages cannot be read on this device.</source>
        <translation>
            <numerusform>كل رسائل التعليمات مقروءة على هذا الجهاز.</numerusform>
            <numerusform>لا يمكن قراءة رسالة تعليمات واحدة على هذا الجهاز.</numerusform>
            <numerusform>لا يمكن قراءة رسالتَي تعليمات على هذا الجهاز.</numerusform>
            <numerusform>لا يمكن قراءة %n رسائل تعليمات على هذا الجهاز.</numerusform>
            <numerusform>لا يمكن قراءة %n رسالة تعليمات على هذا الجهاز.</numerusform>
            <numerusform>لا يمكن قراءة %n رسالة تعليمات على هذا الجهاز.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="216"/>
        <source>Enter your recovery key</source>
        <translation>أدخل مفتاح الاسترداد</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="227"/>
        <source>answered</source>
        <translation>أُجيب</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="229"/>
        <source>overdue</source>
        <translation>متأخر</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="229"/>
        <source>open</source>
        <translation>مفتوح</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="232"/>
        <source>%1 — from %2 at %3 — %4</source>
        <translation>%1 — من %2 في %3 — %4</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="235"/>
        <source>%1 from %2 at %3 is forged: the sender may not send it here</source>
        <translation>%1 من %2 في %3 مزوّر: لا يحق للمرسل إرساله هنا</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="236"/>
        <source>%1 from %2 at %3 is malformed: its content does not fit</source>
        <translation>%1 من %2 في %3 تالف: محتواه لا يطابق البنية</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="237"/>
        <source>%1 from %2 at %3 acknowledges no instruction of its room</source>
        <translation>%1 من %2 في %3 لا يقرّ بأي تعليمات في غرفته</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="239"/>
        <source>%1 from %2 at %3 came from an unverified device: it does not count</source>
        <translation>%1 من %2 في %3 جاء من جهاز غير موثَّق: لا يُحتسب</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="243"/>
        <source>An instruction</source>
        <translation>تعليمات</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="244"/>
        <source>An acknowledgement</source>
        <translation>إقرار</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="245"/>
        <source>A request</source>
        <translation>طلب</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="246"/>
        <source>A reply from another client</source>
        <translation>ردّ من تطبيق آخر</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="281"/>
        <source>from %1</source>
        <translation>من %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="281"/>
        <source>Not sent: %1</source>
        <translation>لم تُرسل: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="282"/>
        <source>History</source>
        <translation>السجل</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="282"/>
        <source>Clarifications</source>
        <translation>التوضيحات</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="283"/>
        <source>via another client</source>
        <translation>عبر تطبيق آخر</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="297"/>
        <source>Superseded: see the newer instruction</source>
        <translation>استُبدلت: انظر التعليمات الأحدث</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="337"/>
        <source>Unable</source>
        <translation>تعذّر التنفيذ</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="337"/>
        <source>Why is the delegation unable to act?</source>
        <translation>لماذا يتعذّر على الوفد التنفيذ؟</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="351"/>
        <source>Ask to clarify</source>
        <translation>طلب توضيح</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/view.py" line="351"/>
        <source>Your question to the capital:</source>
        <translation>سؤالك إلى العاصمة:</translation>
    </message>
</context>
<context>
    <name>InvitationsView</name>
    <message>
        <location filename="../../app/ui/rooms/invitations_view.py" line="24"/>
        <source>Invitations</source>
        <translation>الدعوات</translation>
    </message>
    <message>
        <location filename="../../app/ui/rooms/invitations_view.py" line="27"/>
        <source>&amp;Join</source>
        <translation>&amp;انضمام</translation>
    </message>
    <message>
        <location filename="../../app/ui/rooms/invitations_view.py" line="49"/>
        <source>Session invitation: %1 — %2 (from %3)</source>
        <translation>دعوة إلى جلسة: %1 — %2 (من %3)</translation>
    </message>
    <message>
        <location filename="../../app/ui/rooms/invitations_view.py" line="51"/>
        <source>Room invitation: %1 — %2 (from %3)</source>
        <translation>دعوة إلى غرفة: %1 — %2 (من %3)</translation>
    </message>
</context>
<context>
    <name>LastingNotice</name>
    <message>
        <location filename="../../app/ui/shell/lasting_notice.py" line="24"/>
        <source>Dismiss</source>
        <translation>إخفاء</translation>
    </message>
</context>
<context>
    <name>LoginView</name>
    <message>
        <location filename="../../app/ui/shell/login_view.py" line="28"/>
        <source>Sign in to your crisis room</source>
        <translation>سجّل الدخول إلى غرفة الأزمة</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/login_view.py" line="33"/>
        <source>@name:example.org or name</source>
        <translation>@name:example.org أو الاسم</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/login_view.py" line="38"/>
        <location filename="../../app/ui/shell/login_view.py" line="72"/>
        <source>&amp;Sign in</source>
        <translation>&amp;دخول</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/login_view.py" line="42"/>
        <source>&amp;Homeserver:</source>
        <translation>&amp;الخادم:</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/login_view.py" line="43"/>
        <source>&amp;User:</source>
        <translation>&amp;المستخدم:</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/login_view.py" line="44"/>
        <source>&amp;Password:</source>
        <translation>&amp;كلمة المرور:</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/login_view.py" line="72"/>
        <source>Signing in…</source>
        <translation>جارٍ تسجيل الدخول…</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/login_view.py" line="88"/>
        <source>Check the form: the homeserver address must start with https:// (or http:// on this computer), and user and password are required.</source>
        <translation>راجع النموذج: يجب أن يبدأ عنوان الخادم بـ https://‎ (أو http://‎ على هذا الحاسوب)، واسم المستخدم وكلمة المرور مطلوبان.</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/login_view.py" line="92"/>
        <source>No server answers at this address. Check the address and your network.</source>
        <translation>لا يجيب أي خادم على هذا العنوان. تحقق من العنوان ومن الشبكة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/login_view.py" line="95"/>
        <source>A server answers at this address, but it is not a Matrix homeserver.</source>
        <translation>يجيب خادم على هذا العنوان، لكنه ليس خادم Matrix.</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/login_view.py" line="97"/>
        <source>Wrong user name or password.</source>
        <translation>اسم المستخدم أو كلمة المرور غير صحيحة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/login_view.py" line="99"/>
        <source>This device was signed out on the server. Please sign in again.</source>
        <translation>سُجّل خروج هذا الجهاز على الخادم. يُرجى تسجيل الدخول من جديد.</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/login_view.py" line="102"/>
        <source>The homeserver refused the sign-in. Try again, or ask its administrator.</source>
        <translation>رفض الخادم تسجيل الدخول. حاول مجددًا أو اسأل مسؤوله.</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/login_view.py" line="105"/>
        <source>The archive on this computer was not opened: no passphrase was given. Sign in again, or restart the app, to be asked for it.</source>
        <translation>لم يُفتح الأرشيف على هذا الحاسوب: لم تُعطَ عبارة مرور. سجّل الدخول مجددًا، أو أعد تشغيل التطبيق، لتُطلب منك.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="81"/>
        <source>Open Operations Room</source>
        <translation>غرفة العمليات المفتوحة</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="125"/>
        <source>&amp;Room</source>
        <translation>&amp;الغرفة</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="126"/>
        <source>&amp;New encrypted room…</source>
        <translation>غرفة مشفّرة &amp;جديدة…</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="131"/>
        <source>Sign &amp;out</source>
        <translation>تسجيل ال&amp;خروج</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="136"/>
        <source>&amp;Quit</source>
        <translation>&amp;إنهاء</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="173"/>
        <source>Starting…</source>
        <translation>جارٍ البدء…</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="174"/>
        <source>Connecting…</source>
        <translation>جارٍ الاتصال…</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="175"/>
        <source>Connected</source>
        <translation>متصل</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="177"/>
        <source>Offline: retrying in %1 s</source>
        <translation>غير متصل: إعادة المحاولة خلال %1 ث</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="185"/>
        <source>Starting the local homeserver…</source>
        <translation>جارٍ تشغيل الخادم المحلي…</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="191"/>
        <source>Not signed in</source>
        <translation>لم يُسجَّل الدخول</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="215"/>
        <source>Encrypting the archive on this computer: %1%</source>
        <translation>جارٍ تشفير الأرشيف على هذا الحاسوب: %1%</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="217"/>
        <source>The archive on this computer is now encrypted.</source>
        <translation>أصبح الأرشيف على هذا الحاسوب مشفّرًا.</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="231"/>
        <source>Device %1 on %2; login kept in %3</source>
        <translation>الجهاز %1 على %2؛ بيانات الدخول محفوظة في %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="287"/>
        <source>Sign in first.</source>
        <translation>سجّل الدخول أولًا.</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="288"/>
        <source>The room could not be created.</source>
        <translation>تعذّر إنشاء الغرفة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="289"/>
        <source>Receiving failed; retrying.</source>
        <translation>فشل الاستقبال؛ تجري إعادة المحاولة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="290"/>
        <source>Sending failed; retrying.</source>
        <translation>فشل الإرسال؛ تجري إعادة المحاولة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="292"/>
        <source>A device cannot receive the key to read your messages:</source>
        <translation>جهاز لا يمكنه استلام المفتاح لقراءة رسائلك:</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="294"/>
        <source>A background task failed; the record is kept.</source>
        <translation>فشلت مهمة في الخلفية؛ السجل محفوظ.</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="296"/>
        <source>A session could not be read from the archive and is left out of the lists (nothing is deleted; the log says why):</source>
        <translation>تعذّرت قراءة جلسة من الأرشيف فاستُبعدت من القوائم (لم يُحذف شيء، والسبب في السجلّ):</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="299"/>
        <source>The local homeserver did not start.</source>
        <translation>لم يبدأ الخادم المحلي.</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="300"/>
        <source>The stored login could not be read.</source>
        <translation>تعذّرت قراءة بيانات الدخول المحفوظة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="301"/>
        <source>This data folder is open in another window of the app.</source>
        <translation>مجلد البيانات هذا مفتوح في نافذة أخرى من التطبيق.</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="302"/>
        <source>The local archive could not be opened.</source>
        <translation>تعذّر فتح الأرشيف المحلي.</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="304"/>
        <source>An outbox made under another key was kept aside; any messages in it not yet sent are there, unsent. It is kept as:</source>
        <translation>حُفظ جانبًا صندوقُ صادرٍ أُنشئ بمفتاح آخر؛ وأيّ رسائل فيه لم تُرسَل بعد باقيةٌ فيه، غير مرسلة. وهو محفوظ في:</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="308"/>
        <source>The disk is full. Free some space: sending and receiving resume by themselves, and nothing queued is lost.</source>
        <translation>القرص ممتلئ. أفرغ بعض المساحة: يُستأنف الإرسال والاستقبال تلقائيًا، ولا يضيع شيء مما ينتظر الإرسال.</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="312"/>
        <source>Encrypted messages to this device could not be read; they were skipped and recorded:</source>
        <translation>تعذّرت قراءة رسائل مشفّرة موجّهة إلى هذا الجهاز؛ تم تجاوزها وتسجيلها:</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="316"/>
        <source>Parts of what the server sent could not be read; they were skipped and recorded, and receiving goes on:</source>
        <translation>تعذّرت قراءة أجزاء مما أرسله الخادم؛ تم تخطيها وتسجيلها، ويستمر الاستلام:</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="320"/>
        <source>Some messages in the middle of a room&apos;s history could not be fetched yet; they will be tried again:</source>
        <translation>تعذّر حتى الآن جلب بعض الرسائل من وسط سجل غرفة؛ ستُعاد المحاولة:</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="324"/>
        <source>Some messages in the middle of a room&apos;s history could not be fetched from the server:</source>
        <translation>تعذّر جلب بعض الرسائل من وسط سجل غرفة من الخادم:</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="328"/>
        <source>Signed out here, but the server could not be told; sign this device out from another client.</source>
        <translation>سُجّل الخروج هنا، لكن تعذّر إبلاغ الخادم؛ سجّل خروج هذا الجهاز من عميل آخر.</translation>
    </message>
</context>
<context>
    <name>NewRoomDialog</name>
    <message>
        <location filename="../../app/ui/rooms/new_room_dialog.py" line="20"/>
        <source>New encrypted room</source>
        <translation>غرفة مشفّرة جديدة</translation>
    </message>
    <message>
        <location filename="../../app/ui/rooms/new_room_dialog.py" line="23"/>
        <source>@alice:example.org, @bob:example.org</source>
        <translation>@alice:example.org، ‏@bob:example.org</translation>
    </message>
    <message>
        <location filename="../../app/ui/rooms/new_room_dialog.py" line="27"/>
        <source>Room &amp;name:</source>
        <translation>&amp;اسم الغرفة:</translation>
    </message>
    <message>
        <location filename="../../app/ui/rooms/new_room_dialog.py" line="28"/>
        <source>&amp;Invite:</source>
        <translation>&amp;دعوة:</translation>
    </message>
    <message>
        <location filename="../../app/ui/rooms/new_room_dialog.py" line="38"/>
        <source>The room needs a name.</source>
        <translation>تحتاج الغرفة إلى اسم.</translation>
    </message>
    <message>
        <location filename="../../app/ui/rooms/new_room_dialog.py" line="43"/>
        <source>Not a Matrix user id: %1 (expected @name:server)</source>
        <translation>ليس معرّف مستخدم Matrix: %1 (المتوقع ‎@name:server)</translation>
    </message>
</context>
<context>
    <name>NotesDialog</name>
    <message>
        <location filename="../../app/ui/exercise/bar.py" line="45"/>
        <source>Evaluator notes</source>
        <translation>ملاحظات المقيّم</translation>
    </message>
    <message>
        <location filename="../../app/ui/exercise/bar.py" line="50"/>
        <source>What did you observe? Only facilitators see this.</source>
        <translation>ماذا لاحظت؟ لا يرى هذا إلا الميسّرون.</translation>
    </message>
    <message>
        <location filename="../../app/ui/exercise/bar.py" line="51"/>
        <source>&amp;Add note</source>
        <translation>إ&amp;ضافة ملاحظة</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <location filename="../../app/ui/instructions/controller.py" line="49"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <location filename="../../app/ui/overview/page.py" line="79"/>
        <location filename="../../app/ui/overview/page.py" line="166"/>
        <source>No situation report yet.</source>
        <translation>لا يوجد تقرير وضع بعد.</translation>
    </message>
    <message>
        <location filename="../../app/ui/overview/page.py" line="84"/>
        <source>Choose a room of a crisis session to see its overview.</source>
        <translation>اختر غرفة من جلسة أزمة لعرض نظرتها العامة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/overview/page.py" line="91"/>
        <source>Latest situation report</source>
        <translation>أحدث تقرير للوضع</translation>
    </message>
    <message>
        <location filename="../../app/ui/overview/page.py" line="94"/>
        <source>World clocks</source>
        <translation>الساعات العالمية</translation>
    </message>
    <message>
        <location filename="../../app/ui/overview/page.py" line="95"/>
        <source>Instructions by delegation</source>
        <translation>التعليمات حسب الوفد</translation>
    </message>
    <message>
        <location filename="../../app/ui/overview/page.py" line="96"/>
        <source>Latest key figures</source>
        <translation>أحدث الأرقام الرئيسية</translation>
    </message>
    <message>
        <location filename="../../app/ui/overview/page.py" line="103"/>
        <source>Participants</source>
        <translation>المشاركون</translation>
    </message>
    <message>
        <location filename="../../app/ui/overview/page.py" line="172"/>
        <source>%1 — approved by %2, published at %3 (capital time)</source>
        <translation>%1 — اعتمده %2، ونُشر الساعة %3 (بتوقيت العاصمة)</translation>
    </message>
    <message>
        <location filename="../../app/ui/overview/page.py" line="207"/>
        <source>Capital</source>
        <translation>العاصمة</translation>
    </message>
    <message>
        <location filename="../../app/ui/overview/page.py" line="211"/>
        <source>working hours</source>
        <translation>ساعات العمل</translation>
    </message>
    <message>
        <location filename="../../app/ui/overview/page.py" line="212"/>
        <source>outside working hours</source>
        <translation>خارج ساعات العمل</translation>
    </message>
    <message>
        <location filename="../../app/ui/overview/page.py" line="213"/>
        <source>time zone unknown</source>
        <translation>المنطقة الزمنية غير معروفة</translation>
    </message>
    <message>
        <location filename="../../app/ui/overview/page.py" line="227"/>
        <source>%1 open · %2 overdue · %3 in all</source>
        <translation>%1 مفتوحة · %2 متأخرة · %3 إجمالًا</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/overview/page.py" line="234"/>
        <source>%1 of %n participants have joined</source>
        <translation>
            <numerusform>لا مشاركين بعد</numerusform>
            <numerusform>انضم %1 من أصل مشارك واحد</numerusform>
            <numerusform>انضم %1 من أصل مشاركَين</numerusform>
            <numerusform>انضم %1 من أصل %n مشاركين</numerusform>
            <numerusform>انضم %1 من أصل %n مشاركًا</numerusform>
            <numerusform>انضم %1 من أصل %n مشارك</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/overview/page.py" line="255"/>
        <source>at %1</source>
        <translation>في %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/overview/page.py" line="257"/>
        <source>No figures yet.</source>
        <translation>لا أرقام بعد.</translation>
    </message>
    <message>
        <location filename="../../app/ui/overview/page.py" line="261"/>
        <source>nobody</source>
        <translation>لا أحد</translation>
    </message>
    <message>
        <location filename="../../app/ui/overview/page.py" line="263"/>
        <source>Active in the last %1 minutes: %2</source>
        <translation>نشطون في آخر %1 دقيقة: %2</translation>
    </message>
</context>
<context>
    <name>ParticipantDialog</name>
    <message>
        <location filename="../../app/ui/sessions/participant_dialog.py" line="25"/>
        <source>Change role</source>
        <translation>تغيير الدور</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/participant_dialog.py" line="25"/>
        <source>Add participant</source>
        <translation>إضافة مشارك</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/participant_dialog.py" line="33"/>
        <source>(none)</source>
        <translation>(لا شيء)</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/participant_dialog.py" line="40"/>
        <source>as the session will show them, e.g. Omar Khalil</source>
        <translation>كما ستعرضه الجلسة، مثل: عمر خليل</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/participant_dialog.py" line="46"/>
        <source>&amp;Matrix id:</source>
        <translation>&amp;معرّف Matrix:</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/participant_dialog.py" line="47"/>
        <source>&amp;Name:</source>
        <translation>الا&amp;سم:</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/participant_dialog.py" line="48"/>
        <source>&amp;Role:</source>
        <translation>&amp;الدور:</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/participant_dialog.py" line="49"/>
        <source>&amp;Delegation:</source>
        <translation>&amp;الوفد:</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/participant_dialog.py" line="50"/>
        <source>&amp;Title:</source>
        <translation>&amp;العنوان:</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/participant_dialog.py" line="68"/>
        <source>Not a Matrix user id: %1 (expected @name:server)</source>
        <translation>ليس معرّف مستخدم Matrix: %1 (المتوقع ‎@name:server)</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/participant_dialog.py" line="71"/>
        <source>A delegate needs a delegation.</source>
        <translation>يحتاج عضو الوفد إلى وفد.</translation>
    </message>
</context>
<context>
    <name>ParticipantsPanel</name>
    <message>
        <location filename="../../app/ui/sessions/participants_panel.py" line="166"/>
        <source>Participants</source>
        <translation>المشاركون</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/participants_panel.py" line="213"/>
        <source>%1 — %2 · details not decrypted yet</source>
        <translation>%1 — %2 · لم يُفكّ تشفير التفاصيل بعد</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/participants_panel.py" line="218"/>
        <source>%1 — %2, %3 · capital time %4 (%5)</source>
        <translation>%1 — %2، %3 · توقيت العاصمة %4 (%5)</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <location filename="../../app/ui/trust/dialog.py" line="24"/>
        <source>Set up verification</source>
        <translation>إعداد التحقق</translation>
    </message>
    <message>
        <location filename="../../app/ui/trust/dialog.py" line="27"/>
        <source>Your account has no cross-signing keys yet: it was signed in before this app made them. Until it has them, what you do from this device does not count in delegation and restricted rooms, and this device receives no room keys there. Type your account password to set up verification. It is used once and not kept.</source>
        <translation>لا مفاتيح توقيع متبادل لحسابك بعد: فقد سُجّل دخوله قبل أن يُنشئها هذا التطبيق. وإلى أن تُنشأ لا يُحتسب ما تفعله من هذا الجهاز في غرف الوفود والغرف المقيّدة، ولا يتلقى هذا الجهاز مفاتيح الغرف هناك. اكتب كلمة مرور حسابك لإعداد التحقق. تُستخدم مرة واحدة ولا تُحفظ.</translation>
    </message>
    <message>
        <location filename="../../app/ui/trust/dialog.py" line="41"/>
        <source>&amp;Password:</source>
        <translation>&amp;كلمة المرور:</translation>
    </message>
    <message>
        <location filename="../../app/ui/trust/dialog.py" line="53"/>
        <source>Type your password.</source>
        <translation>اكتب كلمة المرور.</translation>
    </message>
</context>
<context>
    <name>PinnedBar</name>
    <message>
        <location filename="../../app/ui/timeline/pinned_bar.py" line="31"/>
        <source>S&amp;how pinned</source>
        <translation>&amp;عرض المثبّت</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/pinned_bar.py" line="62"/>
        <source>%1 pinned: %2</source>
        <translation>%1 مثبّتة: %2</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/timeline/pinned_bar.py" line="64"/>
        <source>%n pinned messages</source>
        <translation>
            <numerusform>لا رسائل مثبّتة</numerusform>
            <numerusform>رسالة مثبّتة واحدة</numerusform>
            <numerusform>رسالتان مثبّتتان</numerusform>
            <numerusform>%n رسائل مثبّتة</numerusform>
            <numerusform>%n رسالة مثبّتة</numerusform>
            <numerusform>%n رسالة مثبّتة</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProposalDialog</name>
    <message>
        <location filename="../../app/ui/open_round/dialogs.py" line="110"/>
        <source>Propose</source>
        <translation>تقديم مقترح</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/dialogs.py" line="117"/>
        <source>one link or reference per line</source>
        <translation>رابط أو مرجع واحد في كل سطر</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/dialogs.py" line="120"/>
        <source>&amp;Title:</source>
        <translation>&amp;العنوان:</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/dialogs.py" line="121"/>
        <source>&amp;Proposal:</source>
        <translation>ال&amp;مقترح:</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/dialogs.py" line="122"/>
        <source>&amp;Sources:</source>
        <translation>الم&amp;صادر:</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/dialogs.py" line="138"/>
        <source>A proposal needs a title.</source>
        <translation>يحتاج المقترح إلى عنوان.</translation>
    </message>
</context>
<context>
    <name>RawEventDialog</name>
    <message>
        <location filename="../../app/ui/timeline/raw_event_dialog.py" line="57"/>
        <source>Raw event</source>
        <translation>الحدث الخام</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/raw_event_dialog.py" line="60"/>
        <source>Status: %1</source>
        <translation>الحالة: %1</translation>
    </message>
</context>
<context>
    <name>ReceivingNote</name>
    <message>
        <location filename="../../app/ui/timeline/receiving_note.py" line="23"/>
        <source>Receiving this room&apos;s messages…</source>
        <translation>جارٍ استلام رسائل هذه الغرفة…</translation>
    </message>
</context>
<context>
    <name>RecordsController</name>
    <message>
        <location filename="../../app/ui/records/controller.py" line="26"/>
        <source>The record could not be exported.</source>
        <translation>تعذّر تصدير السجل.</translation>
    </message>
    <message>
        <location filename="../../app/ui/records/controller.py" line="27"/>
        <source>E&amp;xport record…</source>
        <translation>&amp;تصدير السجل…</translation>
    </message>
    <message>
        <location filename="../../app/ui/records/controller.py" line="29"/>
        <source>&amp;Session</source>
        <translation>&amp;الجلسة</translation>
    </message>
    <message>
        <location filename="../../app/ui/records/controller.py" line="32"/>
        <source>&amp;Seal the record now</source>
        <translation>&amp;ختم السجل الآن</translation>
    </message>
    <message>
        <location filename="../../app/ui/records/controller.py" line="46"/>
        <location filename="../../app/ui/records/controller.py" line="116"/>
        <source>Choose a room of a crisis session first.</source>
        <translation>اختر أولًا غرفة من جلسة أزمة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/records/controller.py" line="55"/>
        <source>This session&apos;s details (its title, whether it is an exercise) are not decrypted yet. Export its record once they are: until then it could pass for a real session.</source>
        <translation>لم يُفكّ تشفير تفاصيل هذه الجلسة (عنوانها، وهل هي تمرين) بعد. صدِّر سجلّها بعد فكّ تشفيرها: فقبل ذلك قد تُحسب جلسة حقيقية.</translation>
    </message>
    <message>
        <location filename="../../app/ui/records/controller.py" line="66"/>
        <source>Details pending</source>
        <translation>التفاصيل قيد الانتظار</translation>
    </message>
    <message>
        <location filename="../../app/ui/records/controller.py" line="67"/>
        <source>Details pending — export marked as unknown?</source>
        <translation>التفاصيل قيد الانتظار — هل يُصدَّر السجل موسومًا بأن طبيعته غير معروفة؟</translation>
    </message>
    <message>
        <location filename="../../app/ui/records/controller.py" line="76"/>
        <source>Exported now, the record says on every page and in every chart that it is not known whether this is an exercise.</source>
        <translation>إن صُدّر الآن، فسيذكر السجل في كل صفحة وفي كل رسم بياني أنه لا يُعرف هل هذه الجلسة تمرين أم لا.</translation>
    </message>
    <message>
        <location filename="../../app/ui/records/controller.py" line="96"/>
        <source>Export the record into a folder</source>
        <translation>تصدير السجل إلى مجلد</translation>
    </message>
    <message>
        <location filename="../../app/ui/records/controller.py" line="102"/>
        <source>Exporting the record…</source>
        <translation>جارٍ تصدير السجل…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/records/controller.py" line="124"/>
        <source>Sealed the record of %n rooms.</source>
        <translation>
            <numerusform>لم تُختم أي غرفة.</numerusform>
            <numerusform>خُتم سجل غرفة واحدة.</numerusform>
            <numerusform>خُتم سجل غرفتين.</numerusform>
            <numerusform>خُتم سجل %n غرف.</numerusform>
            <numerusform>خُتم سجل %n غرفة.</numerusform>
            <numerusform>خُتم سجل %n غرفة.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/records/controller.py" line="126"/>
        <source>Nothing new to seal since the last seal.</source>
        <translation>لا جديد للختم منذ الختم الأخير.</translation>
    </message>
    <message>
        <location filename="../../app/ui/records/controller.py" line="131"/>
        <source>Records differ: %1&apos;s record from %2 to %3 holds %4 events, ours %5</source>
        <translation>السجلات مختلفة: سجل %1 من %2 إلى %3 يضم %4 أحداث، وسجلنا %5</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/records/controller.py" line="158"/>
        <source>Exported %n events to %1.</source>
        <translation>
            <numerusform>لم يُصدَّر أي حدث إلى %1.</numerusform>
            <numerusform>صُدِّر حدث واحد إلى %1.</numerusform>
            <numerusform>صُدِّر حدثان إلى %1.</numerusform>
            <numerusform>صُدِّرت %n أحداث إلى %1.</numerusform>
            <numerusform>صُدِّر %n حدثًا إلى %1.</numerusform>
            <numerusform>صُدِّر %n حدث إلى %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RecoveryController</name>
    <message>
        <location filename="../../app/ui/recovery/controller.py" line="37"/>
        <source>&amp;Account</source>
        <translation>ال&amp;حساب</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/controller.py" line="38"/>
        <source>Create a &amp;recovery key…</source>
        <translation>إنشاء مفتاح &amp;استرداد…</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/controller.py" line="40"/>
        <source>Restore &amp;history…</source>
        <translation>استعادة ال&amp;سجل…</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/controller.py" line="48"/>
        <source>Room keys could not be added to the key backup; retrying.</source>
        <translation>تعذّرت إضافة مفاتيح الغرف إلى النسخة الاحتياطية للمفاتيح؛ تجري إعادة المحاولة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/controller.py" line="51"/>
        <source>A key kept behind the recovery key could not be read.</source>
        <translation>تعذّرت قراءة مفتاح محفوظ خلف مفتاح الاسترداد.</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/controller.py" line="54"/>
        <source>Cross-signing could not be set up; try again from Account → Verification of this device…</source>
        <translation>تعذّر إعداد التوقيع المتبادل؛ أعد المحاولة من الحساب ← التحقق من هذا الجهاز…</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/controller.py" line="58"/>
        <source>The keys behind the recovery key are not this account&apos;s: nothing was signed.</source>
        <translation>المفاتيح المحفوظة خلف مفتاح الاسترداد ليست لهذا الحساب: لم يُوقَّع شيء.</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/controller.py" line="60"/>
        <source>The device or person could not be verified.</source>
        <translation>تعذّر توثيق الجهاز أو الشخص.</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/controller.py" line="62"/>
        <source>Keys with a wrong or missing signature were not trusted:</source>
        <translation>لم يُوثق بمفاتيح توقيعها خاطئ أو مفقود:</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/controller.py" line="65"/>
        <source>A participant&apos;s identity changed; messages to them wait until you accept it:</source>
        <translation>تغيّرت هوية أحد المشاركين؛ تنتظر الرسائل إليه حتى تقبل الهوية الجديدة:</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/controller.py" line="106"/>
        <source>%1 room keys of this device are in the key backup</source>
        <translation>%1 من مفاتيح الغرف لهذا الجهاز محفوظة في النسخة الاحتياطية للمفاتيح</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/controller.py" line="117"/>
        <source>Create your recovery key…</source>
        <translation>أنشئ مفتاح الاسترداد…</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/controller.py" line="119"/>
        <source>Enter your recovery key to read earlier messages…</source>
        <translation>أدخل مفتاح الاسترداد لقراءة الرسائل السابقة…</translation>
    </message>
</context>
<context>
    <name>RecoverySetupDialog</name>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="52"/>
        <source>Recovery key</source>
        <translation>مفتاح الاسترداد</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="64"/>
        <source>Messages are encrypted. A recovery key lets a new device of yours read earlier messages; without it, a new laptop reads nothing from before. The key is shown once: keep it on paper, away from this computer.</source>
        <translation>الرسائل مشفّرة. يتيح مفتاح الاسترداد لأي جهاز جديد لك قراءة الرسائل السابقة؛ ومن دونه لا يقرأ الحاسوب الجديد شيئًا مما سبق. يُعرض المفتاح مرة واحدة: احتفظ به على ورق، بعيدًا عن هذا الحاسوب.</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="74"/>
        <source>Passphrase (optional):</source>
        <translation>عبارة المرور (اختيارية):</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="75"/>
        <source>Repeat passphrase:</source>
        <translation>كرّر عبارة المرور:</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="81"/>
        <source>&amp;Create recovery key</source>
        <translation>إ&amp;نشاء مفتاح الاسترداد</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="86"/>
        <source>&amp;Later</source>
        <translation>&amp;لاحقًا</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="99"/>
        <source>Write this recovery key down now. It will not be shown again. Anyone who has it can read your earlier messages.</source>
        <translation>دوّن مفتاح الاسترداد هذا الآن. لن يُعرض مرة أخرى. كل من يملكه يستطيع قراءة رسائلك السابقة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="111"/>
        <source>C&amp;opy</source>
        <translation>&amp;نسخ</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="113"/>
        <source>I have &amp;written it down</source>
        <translation>لقد &amp;دوّنته</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="114"/>
        <source>&amp;Done</source>
        <translation>&amp;تم</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="125"/>
        <source>The two passphrases differ.</source>
        <translation>عبارتا المرور مختلفتان.</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="134"/>
        <source>Copied</source>
        <translation>نُسخ</translation>
    </message>
</context>
<context>
    <name>RequestDialog</name>
    <message>
        <location filename="../../app/ui/instructions/dialogs.py" line="203"/>
        <source>Request instructions</source>
        <translation>طلب تعليمات</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/dialogs.py" line="209"/>
        <source>&amp;Subject:</source>
        <translation>ال&amp;موضوع:</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/dialogs.py" line="210"/>
        <source>&amp;Text:</source>
        <translation>ال&amp;نص:</translation>
    </message>
    <message>
        <location filename="../../app/ui/instructions/dialogs.py" line="217"/>
        <source>The request needs a subject.</source>
        <translation>الطلب يحتاج إلى موضوع.</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="166"/>
        <source>Restore history</source>
        <translation>استعادة السجل</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="167"/>
        <source>Enter your recovery key to read earlier messages.</source>
        <translation>أدخل مفتاح الاسترداد لقراءة الرسائل السابقة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="170"/>
        <source>Enter your recovery key or passphrase to read earlier messages.</source>
        <translation>أدخل مفتاح الاسترداد أو عبارة المرور لقراءة الرسائل السابقة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="182"/>
        <source>&amp;Restore</source>
        <translation>ا&amp;ستعادة</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="188"/>
        <source>&amp;Skip</source>
        <translation>ت&amp;خطٍّ</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="215"/>
        <source>&amp;Close</source>
        <translation>إ&amp;غلاق</translation>
    </message>
    <message>
        <location filename="../../app/ui/recovery/dialog.py" line="218"/>
        <source>History restored: %1 room keys; %2 earlier messages can be read.</source>
        <translation>تمت استعادة السجل: %1 من مفاتيح الغرف؛ ويمكن الآن قراءة %2 من الرسائل السابقة.</translation>
    </message>
</context>
<context>
    <name>RoomListModel</name>
    <message>
        <location filename="../../app/ui/rooms/room_list_model.py" line="143"/>
        <source>Operations</source>
        <translation>العمليات</translation>
    </message>
    <message>
        <location filename="../../app/ui/rooms/room_list_model.py" line="144"/>
        <source>Restricted</source>
        <translation>المقيّدة</translation>
    </message>
    <message>
        <location filename="../../app/ui/rooms/room_list_model.py" line="145"/>
        <source>Outreach</source>
        <translation>التواصل</translation>
    </message>
</context>
<context>
    <name>RosterModel</name>
    <message>
        <location filename="../../app/ui/sessions/participants_panel.py" line="77"/>
        <source>Participant</source>
        <translation>المشارك</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/participants_panel.py" line="78"/>
        <source>Role</source>
        <translation>الدور</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/participants_panel.py" line="79"/>
        <source>Delegation</source>
        <translation>الوفد</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/participants_panel.py" line="80"/>
        <source>Local time</source>
        <translation>التوقيت المحلي</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/participants_panel.py" line="81"/>
        <source>Status</source>
        <translation>الحالة</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/participants_panel.py" line="82"/>
        <source>Trust</source>
        <translation>الثقة</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/participants_panel.py" line="119"/>
        <source>joined</source>
        <translation>انضم</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/participants_panel.py" line="120"/>
        <source>not joined yet</source>
        <translation>لم ينضم بعد</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/participants_panel.py" line="121"/>
        <source>left</source>
        <translation>غادر</translation>
    </message>
</context>
<context>
    <name>RoundsController</name>
    <message>
        <location filename="../../app/ui/open_round/controller.py" line="21"/>
        <source>The open round refused that:</source>
        <translation>رفضت الجولة المفتوحة ذلك:</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/controller.py" line="23"/>
        <source>Open &amp;round</source>
        <translation>ال&amp;جولة المفتوحة</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/controller.py" line="69"/>
        <source>This session&apos;s details (whether it is an exercise) are not decrypted yet: a round posed now could go out as real. Try again once they arrive.</source>
        <translation>لم تُفكّ بعدُ تفاصيل هذه الجلسة (هل هي تمرين أم لا): الجولة المطروحة الآن قد تُعدّ حقيقية. أعد المحاولة عند وصولها.</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/controller.py" line="80"/>
        <source>Round started; proposals are open.</source>
        <translation>بدأت الجولة؛ باب المقترحات مفتوح.</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/controller.py" line="93"/>
        <source>Proposal sent.</source>
        <translation>أُرسل المقترح.</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/controller.py" line="99"/>
        <source>Tick the proposals you vote for.</source>
        <translation>ضع علامة على المقترحات التي تصوّت لها.</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/controller.py" line="102"/>
        <source>Vote sent.</source>
        <translation>أُرسل الصوت.</translation>
    </message>
</context>
<context>
    <name>RoundsPage</name>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="88"/>
        <source>&amp;Start a round…</source>
        <translation>&amp;بدء جولة…</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="97"/>
        <source>Proposal</source>
        <translation>المقترح</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="97"/>
        <source>By</source>
        <translation>من</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="97"/>
        <source>Votes</source>
        <translation>الأصوات</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="103"/>
        <source>&amp;Propose…</source>
        <translation>تقديم &amp;مقترح…</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="104"/>
        <source>&amp;Vote for the ticked proposals</source>
        <translation>ال&amp;تصويت للمقترحات المحددة</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="105"/>
        <source>P&amp;ause</source>
        <translation>إي&amp;قاف مؤقت</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="106"/>
        <source>&amp;Resume</source>
        <translation>ا&amp;ستئناف</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="107"/>
        <source>&amp;Extend by %1 min</source>
        <translation>&amp;تمديد %1 دقيقة</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="108"/>
        <source>&amp;Open the vote now</source>
        <translation>&amp;فتح التصويت الآن</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="109"/>
        <source>&amp;Close the vote</source>
        <translation>إ&amp;غلاق التصويت</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="110"/>
        <source>Show the &amp;tally</source>
        <translation>إظهار ال&amp;نتيجة</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="121"/>
        <source>Round:</source>
        <translation>الجولة:</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="141"/>
        <source>Not counted:</source>
        <translation>لم يُحتسب:</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="237"/>
        <source>No round in this session yet.</source>
        <translation>لا جولة في هذه الجلسة بعد.</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="303"/>
        <source>Closed: %1 ballots.</source>
        <translation>مغلقة: %1 بطاقة تصويت.</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="305"/>
        <source>Paused: the clock is held.</source>
        <translation>متوقفة مؤقتًا: الوقت موقوف.</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="307"/>
        <source>%1 — time is up.</source>
        <translation>%1 — انتهى الوقت.</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/view.py" line="310"/>
        <source>%1 — %2 left.</source>
        <translation>%1 — بقي %2.</translation>
    </message>
</context>
<context>
    <name>SasEmoji</name>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="20"/>
        <source>Dog</source>
        <translation>كلب</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="21"/>
        <source>Cat</source>
        <translation>هِرَّة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="22"/>
        <source>Lion</source>
        <translation>أَسَد</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="23"/>
        <source>Horse</source>
        <translation>حِصَان</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="24"/>
        <source>Unicorn</source>
        <translation>حصان وحيد القرن</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="25"/>
        <source>Pig</source>
        <translation>خِنزِير</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="26"/>
        <source>Elephant</source>
        <translation>فِيل</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="27"/>
        <source>Rabbit</source>
        <translation>أَرنَب</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="28"/>
        <source>Panda</source>
        <translation>باندَا</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="29"/>
        <source>Rooster</source>
        <translation>دِيك</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="30"/>
        <source>Penguin</source>
        <translation>بطريق</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="31"/>
        <source>Turtle</source>
        <translation>سُلحفاة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="32"/>
        <source>Fish</source>
        <translation>سَمَكة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="33"/>
        <source>Octopus</source>
        <translation>أُخطُبُوط</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="34"/>
        <source>Butterfly</source>
        <translation>فَرَاشَة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="35"/>
        <source>Flower</source>
        <translation>زَهرَة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="36"/>
        <source>Tree</source>
        <translation>شَجَرَة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="37"/>
        <source>Cactus</source>
        <translation>صبار</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="38"/>
        <source>Mushroom</source>
        <translation>فُطر</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="39"/>
        <source>Globe</source>
        <translation>كُرَةٌ أرضِيَّة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="40"/>
        <source>Moon</source>
        <translation>قَمَر</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="41"/>
        <source>Cloud</source>
        <translation>سَحابَة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="42"/>
        <source>Fire</source>
        <translation>نار</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="43"/>
        <source>Banana</source>
        <translation>مَوزَة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="44"/>
        <source>Apple</source>
        <translation>تُفَّاحَة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="45"/>
        <source>Strawberry</source>
        <translation>فَراوِلَة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="46"/>
        <source>Corn</source>
        <translation>ذُرَة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="47"/>
        <source>Pizza</source>
        <translation>بِيتزا</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="48"/>
        <source>Cake</source>
        <translation>كَعكَة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="49"/>
        <source>Heart</source>
        <translation>قَلب</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="50"/>
        <source>Smiley</source>
        <translation>اِبتِسَامَة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="51"/>
        <source>Robot</source>
        <translation>رُوبُوت</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="52"/>
        <source>Hat</source>
        <translation>قُبَّعَة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="53"/>
        <source>Glasses</source>
        <translation>نَظَّارَة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="54"/>
        <source>Spanner</source>
        <translation>مِفتَاحُ رَبط</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="55"/>
        <source>Santa</source>
        <translation>سانتا</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="56"/>
        <source>Thumbs Up</source>
        <translation>رَفعُ إِبهَام</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="57"/>
        <source>Umbrella</source>
        <translation>مِظَلَّة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="58"/>
        <source>Hourglass</source>
        <translation>سَاعَةٌ رَملِيَّة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="59"/>
        <source>Clock</source>
        <translation>سَاعَة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="60"/>
        <source>Gift</source>
        <translation>هَدِيَّة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="61"/>
        <source>Light Bulb</source>
        <translation>مِصبَاح</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="62"/>
        <source>Book</source>
        <translation>كِتَاب</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="63"/>
        <source>Pencil</source>
        <translation>قَلَمُ رَصاص</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="64"/>
        <source>Paperclip</source>
        <translation>مِشبَكُ وَرَق</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="65"/>
        <source>Scissors</source>
        <translation>مِقَصّ</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="66"/>
        <source>Lock</source>
        <translation>قُفل</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="67"/>
        <source>Key</source>
        <translation>مِفتَاح</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="68"/>
        <source>Hammer</source>
        <translation>مِطرَقَة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="69"/>
        <source>Telephone</source>
        <translation>تِلِفُون</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="70"/>
        <source>Flag</source>
        <translation>عَلَم</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="71"/>
        <source>Train</source>
        <translation>قِطَار</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="72"/>
        <source>Bicycle</source>
        <translation>دَرّاجَة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="73"/>
        <source>Aeroplane</source>
        <translation>طَائِرة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="74"/>
        <source>Rocket</source>
        <translation>صَارُوخ</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="75"/>
        <source>Trophy</source>
        <translation>كَأسُ النَّصر</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="76"/>
        <source>Ball</source>
        <translation>كُرَة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="77"/>
        <source>Guitar</source>
        <translation>غيتار</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="78"/>
        <source>Trumpet</source>
        <translation>بُوق</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="79"/>
        <source>Bell</source>
        <translation>جَرَس</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="80"/>
        <source>Anchor</source>
        <translation>مِرسَاة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="81"/>
        <source>Headphones</source>
        <translation>سَمّاعَة رَأس</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="82"/>
        <source>Folder</source>
        <translation>مُجَلَّد</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/emoji_names.py" line="83"/>
        <source>Pin</source>
        <translation>دَبُّوس</translation>
    </message>
</context>
<context>
    <name>SessionMenu</name>
    <message>
        <location filename="../../app/ui/sessions/menu.py" line="37"/>
        <source>The session could not be changed.</source>
        <translation>تعذّر تعديل الجلسة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/menu.py" line="38"/>
        <source>Joining failed.</source>
        <translation>تعذّر الانضمام.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/menu.py" line="39"/>
        <source>Choose a room of a crisis session first.</source>
        <translation>اختر أولًا غرفة من جلسة أزمة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/menu.py" line="42"/>
        <source>&amp;Session</source>
        <translation>&amp;الجلسة</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/menu.py" line="43"/>
        <source>&amp;Convene session…</source>
        <translation>&amp;عقد جلسة…</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/menu.py" line="46"/>
        <source>&amp;Add participant…</source>
        <translation>&amp;إضافة مشارك…</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/menu.py" line="48"/>
        <source>Change &amp;role…</source>
        <translation>تغيير ال&amp;دور…</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/menu.py" line="50"/>
        <source>Re&amp;move participant…</source>
        <translation>إ&amp;خراج مشارك…</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/menu.py" line="52"/>
        <source>C&amp;lose session…</source>
        <translation>&amp;إغلاق الجلسة…</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/menu.py" line="54"/>
        <source>Room &amp;keys only to cross-signed devices</source>
        <translation>مفاتيح الغرف للأجهزة ذات ال&amp;توقيع المتبادل فقط</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/menu.py" line="62"/>
        <source>Accept new &amp;identity of participant</source>
        <translation>قبول ال&amp;هوية الجديدة للمشارك</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/menu.py" line="66"/>
        <source>Run e&amp;xercise from a scenario…</source>
        <translation>تشغيل &amp;تمرين من سيناريو…</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/menu.py" line="138"/>
        <source>Remove %1 from all rooms of %2? What they said stays in the record.</source>
        <translation>إخراج %1 من كل غرف %2؟ يبقى ما قاله في السجل.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/menu.py" line="149"/>
        <source>Close %1? Only facilitators can post afterwards; the record stays.</source>
        <translation>إغلاق %1؟ لن يتمكن من النشر بعدها إلا الميسّرون؛ ويبقى السجل.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sessions/menu.py" line="162"/>
        <source>Send room keys of %1&apos;s delegation and restricted rooms to devices their owners have not cross-signed? A device added with a stolen password could then read them, and its instructions and acknowledgements would count.</source>
        <translation>هل تُرسَل مفاتيح غرف الوفود والغرف المقيّدة في %1 إلى أجهزة لم يوقّعها أصحابها توقيعًا متبادلًا؟ عندئذٍ يستطيع جهاز أُضيف بكلمة مرور مسروقة قراءتها، وتُحتسب تعليماته وإقراراته.</translation>
    </message>
</context>
<context>
    <name>SitrepController</name>
    <message>
        <location filename="../../app/ui/sitrep/controller.py" line="30"/>
        <source>The sitrep step was refused.</source>
        <translation>رُفضت خطوة تقرير الوضع.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/controller.py" line="32"/>
        <source>Sit&amp;reps</source>
        <translation>تقارير ال&amp;وضع</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/controller.py" line="72"/>
        <source>Situation report</source>
        <translation>تقرير الوضع</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/controller.py" line="80"/>
        <source>Sitrep submitted for approval.</source>
        <translation>قُدّم تقرير الوضع للاعتماد.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/controller.py" line="92"/>
        <source>Sitrep approved; publishing to every room.</source>
        <translation>اعتُمد تقرير الوضع؛ يجري نشره في كل الغرف.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/controller.py" line="96"/>
        <source>Return the sitrep</source>
        <translation>إعادة تقرير الوضع</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/controller.py" line="96"/>
        <source>What must the author change?</source>
        <translation>ما الذي يجب أن يغيّره الكاتب؟</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/controller.py" line="103"/>
        <source>Sitrep returned: %1</source>
        <translation>أُعيد تقرير الوضع: %1</translation>
    </message>
</context>
<context>
    <name>SitrepDialog</name>
    <message>
        <location filename="../../app/ui/sitrep/dialog.py" line="21"/>
        <source>Revise the sitrep</source>
        <translation>تعديل تقرير الوضع</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/dialog.py" line="21"/>
        <source>New sitrep</source>
        <translation>تقرير وضع جديد</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/dialog.py" line="26"/>
        <source>&amp;Title:</source>
        <translation>&amp;العنوان:</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/dialog.py" line="50"/>
        <source>The sitrep needs a title.</source>
        <translation>يحتاج تقرير الوضع إلى عنوان.</translation>
    </message>
</context>
<context>
    <name>SitrepPage</name>
    <message>
        <location filename="../../app/ui/sitrep/view.py" line="57"/>
        <source>&amp;Compile sitrep…</source>
        <translation>إ&amp;عداد تقرير وضع…</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/view.py" line="58"/>
        <source>&amp;Approve and publish</source>
        <translation>ا&amp;عتماد ونشر</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/view.py" line="59"/>
        <source>&amp;Return with a comment…</source>
        <translation>إ&amp;عادة مع تعليق…</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/view.py" line="60"/>
        <source>Re&amp;vise…</source>
        <translation>&amp;تعديل…</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/view.py" line="71"/>
        <source>Not counted (forged or out of turn):</source>
        <translation>غير محتسب (مزوّر أو في غير دوره):</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/view.py" line="147"/>
        <source>Choose a room of a crisis session.</source>
        <translation>اختر غرفة من جلسة أزمة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/view.py" line="150"/>
        <source>Sitreps of %1</source>
        <translation>تقارير الوضع في %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/view.py" line="152"/>
        <source>%1 — %2 (revision %3)</source>
        <translation>%1 — %2 (النسخة %3)</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/view.py" line="161"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/view.py" line="189"/>
        <source>You cannot approve this sitrep: %1</source>
        <translation>لا يمكنك اعتماد تقرير الوضع هذا: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/view.py" line="193"/>
        <source>%1 · compiled by %2</source>
        <translation>%1 · أعدّه %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/view.py" line="193"/>
        <source>approved by %1</source>
        <translation>اعتمده %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/view.py" line="206"/>
        <source>approved</source>
        <translation>اعتُمدت</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/view.py" line="206"/>
        <source>returned</source>
        <translation>أُعيدت</translation>
    </message>
    <message>
        <location filename="../../app/ui/sitrep/view.py" line="204"/>
        <source>Revision %1 %2 by %3</source>
        <translation>النسخة %1 %2 من %3</translation>
    </message>
</context>
<context>
    <name>StartRoundDialog</name>
    <message>
        <location filename="../../app/ui/open_round/dialogs.py" line="48"/>
        <source>Start an open round</source>
        <translation>بدء جولة مفتوحة</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/dialogs.py" line="56"/>
        <location filename="../../app/ui/open_round/dialogs.py" line="60"/>
        <source> min</source>
        <translation> دقيقة</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/dialogs.py" line="68"/>
        <source>&amp;Problem:</source>
        <translation>ال&amp;مشكلة:</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/dialogs.py" line="69"/>
        <source>&amp;What is wanted:</source>
        <translation>ال&amp;مطلوب:</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/dialogs.py" line="70"/>
        <source>&amp;Time for proposals:</source>
        <translation>م&amp;هلة المقترحات:</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/dialogs.py" line="71"/>
        <source>Time for the &amp;vote:</source>
        <translation>مهلة ال&amp;تصويت:</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/dialogs.py" line="72"/>
        <source>To the &amp;desk:</source>
        <translation>إلى ال&amp;مكتب:</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/dialogs.py" line="73"/>
        <source>Who may propose:</source>
        <translation>من يحق له تقديم مقترحات:</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/dialogs.py" line="74"/>
        <source>Who may vote:</source>
        <translation>من يحق له التصويت:</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/dialogs.py" line="92"/>
        <source>Say what the problem is.</source>
        <translation>اذكر ما هي المشكلة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/open_round/dialogs.py" line="95"/>
        <source>Tick who may propose and who may vote.</source>
        <translation>حدّد من يحق له تقديم مقترحات ومن يحق له التصويت.</translation>
    </message>
</context>
<context>
    <name>StartingPage</name>
    <message>
        <location filename="../../app/ui/shell/main_window.py" line="61"/>
        <source>Starting…</source>
        <translation>جارٍ البدء…</translation>
    </message>
</context>
<context>
    <name>TimelineController</name>
    <message>
        <location filename="../../app/ui/timeline/controller.py" line="76"/>
        <source>Not sent to the timeline:</source>
        <translation>لم يُرسَل إلى الخط الزمني:</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/controller.py" line="78"/>
        <source>The server did not take the file, or it cannot be read:</source>
        <translation>لم يقبل الخادم الملف، أو تتعذّر قراءته:</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/controller.py" line="80"/>
        <source>This file cannot be opened here:</source>
        <translation>لا يمكن فتح هذا الملف هنا:</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/controller.py" line="82"/>
        <source>A file could not be fetched from the server; previews are tried again when the connection is back:</source>
        <translation>تعذّر جلب ملف من الخادم؛ ستُعاد محاولة المعاينات عند عودة الاتصال:</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/controller.py" line="85"/>
        <source>The pin could not be changed.</source>
        <translation>تعذّر تغيير التثبيت.</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/controller.py" line="86"/>
        <source>Older history could not be fetched from the server.</source>
        <translation>تعذّر جلب السجل الأقدم من الخادم.</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/controller.py" line="95"/>
        <source>Sea&amp;rch</source>
        <translation>ب&amp;حث</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/controller.py" line="96"/>
        <source>New &amp;entry…</source>
        <translation>&amp;قيد جديد…</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/controller.py" line="98"/>
        <source>Ctrl+Shift+E</source>
        <translation>Ctrl+Shift+E</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/controller.py" line="101"/>
        <source>&amp;Attach…</source>
        <translation>إ&amp;رفاق…</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/controller.py" line="103"/>
        <source>Ctrl+Shift+A: an image, a PDF, a document</source>
        <translation>Ctrl+Shift+A: صورة أو ملف PDF أو مستند</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/controller.py" line="163"/>
        <source>Saved %1</source>
        <translation>حُفظ %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/controller.py" line="213"/>
        <source>Attach a file</source>
        <translation>إرفاق ملف</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/controller.py" line="220"/>
        <source>Save the file</source>
        <translation>حفظ الملف</translation>
    </message>
</context>
<context>
    <name>TimelineSearch</name>
    <message>
        <location filename="../../app/ui/timeline/search.py" line="56"/>
        <source>Words in any language; Enter searches</source>
        <translation>كلمات بأي لغة؛ مفتاح الإدخال يبحث</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/search.py" line="59"/>
        <source>any kind</source>
        <translation>أي نوع</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/search.py" line="63"/>
        <source>any status</source>
        <translation>أي حالة</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/search.py" line="73"/>
        <source>any</source>
        <translation>أي</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/search.py" line="75"/>
        <source>Only the open &amp;room</source>
        <translation>الغرفة المفتوحة &amp;فقط</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/search.py" line="76"/>
        <source>&amp;Search</source>
        <translation>&amp;بحث</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/search.py" line="89"/>
        <source>Search results</source>
        <translation>نتائج البحث</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/search.py" line="94"/>
        <source>&amp;Words:</source>
        <translation>ال&amp;كلمات:</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/search.py" line="98"/>
        <source>Filters:</source>
        <translation>عوامل التصفية:</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/search.py" line="99"/>
        <source>Se&amp;nder:</source>
        <translation>المُ&amp;رسِل:</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/search.py" line="100"/>
        <source>&amp;Tag:</source>
        <translation>ال&amp;وسم:</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/search.py" line="105"/>
        <source>Dates:</source>
        <translation>التواريخ:</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/search.py" line="127"/>
        <source>Searching…</source>
        <translation>جارٍ البحث…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/timeline/search.py" line="138"/>
        <source>The newest %n results; narrow the search for older ones</source>
        <translation>
            <numerusform>لا نتائج</numerusform>
            <numerusform>أحدث نتيجة؛ ضيّق البحث للوصول إلى الأقدم</numerusform>
            <numerusform>أحدث نتيجتين؛ ضيّق البحث للوصول إلى الأقدم</numerusform>
            <numerusform>أحدث %n نتائج؛ ضيّق البحث للوصول إلى الأقدم</numerusform>
            <numerusform>أحدث %n نتيجة؛ ضيّق البحث للوصول إلى الأقدم</numerusform>
            <numerusform>أحدث %n نتيجة؛ ضيّق البحث للوصول إلى الأقدم</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/timeline/search.py" line="141"/>
        <source>%n results</source>
        <translation>
            <numerusform>لا نتائج</numerusform>
            <numerusform>نتيجة واحدة</numerusform>
            <numerusform>نتيجتان</numerusform>
            <numerusform>%n نتائج</numerusform>
            <numerusform>%n نتيجة</numerusform>
            <numerusform>%n نتيجة</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ValueDialog</name>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="109"/>
        <source>Add a value</source>
        <translation>إضافة قيمة</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="127"/>
        <source>&amp;Series:</source>
        <translation>&amp;السلسلة:</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="128"/>
        <source>&amp;Value:</source>
        <translation>&amp;القيمة:</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="129"/>
        <source>&amp;At (UTC):</source>
        <translation>&amp;في (بالتوقيت العالمي):</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="130"/>
        <source>&amp;Region:</source>
        <translation>&amp;المنطقة:</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="131"/>
        <source>&amp;Unit:</source>
        <translation>&amp;الوحدة:</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="132"/>
        <source>S&amp;ource:</source>
        <translation>ال&amp;مصدر:</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="151"/>
        <source>No chart has a series yet.</source>
        <translation>لا يحتوي أي رسم على سلسلة بعد.</translation>
    </message>
    <message>
        <location filename="../../app/ui/charts/dialogs.py" line="153"/>
        <source>The value must be a number, such as 1250 or 12.5.</source>
        <translation>يجب أن تكون القيمة رقماً، مثل 1250 أو 12.5.</translation>
    </message>
</context>
<context>
    <name>Verification</name>
    <message>
        <location filename="../../app/ui/verification/texts.py" line="20"/>
        <source>%1 asks to verify this device with emoji.</source>
        <translation>يطلب %1 التحقق من هذا الجهاز بالرموز التعبيرية.</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/texts.py" line="21"/>
        <source>Waiting for %1 to accept the verification…</source>
        <translation>بانتظار قبول %1 للتحقق…</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/texts.py" line="23"/>
        <source>Exchanging keys…</source>
        <translation>جارٍ تبادل المفاتيح…</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/texts.py" line="25"/>
        <source>Compare these emoji with the ones shown on the other device, in the same order.</source>
        <translation>قارن هذه الرموز بالرموز المعروضة على الجهاز الآخر، بالترتيب نفسه.</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/texts.py" line="30"/>
        <source>Waiting for %1 to confirm…</source>
        <translation>بانتظار تأكيد %1…</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/texts.py" line="32"/>
        <source>Verified: this device of %1 is now trusted.</source>
        <translation>تم التحقق: أصبح جهاز %1 هذا موثوقًا.</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/texts.py" line="40"/>
        <source>The emoji did not match. Nothing was trusted; the device may not be who it claims.</source>
        <translation>الرموز غير متطابقة. لم يُمنح أي ثقة؛ قد لا يكون الجهاز من يدّعي أنه.</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/texts.py" line="45"/>
        <source>The verification timed out. Nothing was trusted.</source>
        <translation>انتهت مهلة التحقق. لم يُمنح أي ثقة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/texts.py" line="47"/>
        <source>You cancelled the verification. Nothing was trusted.</source>
        <translation>ألغيت التحقق. لم يُمنح أي ثقة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/texts.py" line="49"/>
        <source>The other side cancelled the verification. Nothing was trusted.</source>
        <translation>ألغى الطرف الآخر التحقق. لم يُمنح أي ثقة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/texts.py" line="53"/>
        <source>The keys did not check out. Nothing was trusted: do not rely on this device.</source>
        <translation>لم تصحّ المفاتيح. لم يُمنح أي ثقة: لا تعتمد على هذا الجهاز.</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/texts.py" line="58"/>
        <source>The other app used a publicly known key (Nheko 0.11 does), so matching emoji would prove nothing. Nothing was trusted: verify with another app or in person.</source>
        <translation>استخدم التطبيق الآخر مفتاحًا معروفًا للجميع (كما يفعل Nheko 0.11)، فتطابق الرموز لا يثبت شيئًا. لم يُوثَق بأي شيء: تحقّق بتطبيق آخر أو وجهًا لوجه.</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/texts.py" line="64"/>
        <source>The other device cannot verify with emoji. Nothing was trusted.</source>
        <translation>لا يستطيع الجهاز الآخر التحقق بالرموز التعبيرية. لم يُمنح أي ثقة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/texts.py" line="68"/>
        <source>The verification was answered on another of your devices.</source>
        <translation>أُجيب عن التحقق على جهاز آخر من أجهزتك.</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/texts.py" line="72"/>
        <source>Another verification with this person is under way. Nothing was trusted.</source>
        <translation>يجري تحقق آخر مع هذا الشخص. لم يُمنح أي ثقة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/texts.py" line="76"/>
        <source>The verification was cancelled. Nothing was trusted.</source>
        <translation>أُلغي التحقق. لم يُمنح أي ثقة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/texts.py" line="81"/>
        <source>%1 asks to verify — answer…</source>
        <translation>يطلب %1 التحقق — أجب…</translation>
    </message>
</context>
<context>
    <name>VerificationController</name>
    <message>
        <location filename="../../app/ui/verification/controller.py" line="33"/>
        <source>The verification could not begin.</source>
        <translation>تعذّر بدء التحقق.</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/controller.py" line="34"/>
        <source>&amp;Verify participant…</source>
        <translation>&amp;تحقّق من مشارك…</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/controller.py" line="37"/>
        <source>&amp;Session</source>
        <translation>&amp;الجلسة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/controller.py" line="52"/>
        <source>Choose a participant to verify first.</source>
        <translation>اختر أولًا مشاركًا للتحقق منه.</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/controller.py" line="61"/>
        <source>A verification with this person is already under way.</source>
        <translation>يجري بالفعل تحقق مع هذا الشخص.</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/controller.py" line="62"/>
        <source>You have no other device to verify.</source>
        <translation>ليس لديك جهاز آخر للتحقق منه.</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/controller.py" line="63"/>
        <source>You share no encrypted room with this person.</source>
        <translation>لا تجمعك بهذا الشخص أي غرفة مشفّرة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/controller.py" line="64"/>
        <source>This verification has ended.</source>
        <translation>انتهى هذا التحقق.</translation>
    </message>
</context>
<context>
    <name>VerificationDialog</name>
    <message>
        <location filename="../../app/ui/timeline/verification_dialog.py" line="30"/>
        <source>Verification</source>
        <translation>التحقق</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/verification_dialog.py" line="35"/>
        <source>%1 — now %2</source>
        <translation>%1 — الآن %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/verification_dialog.py" line="41"/>
        <source>When</source>
        <translation>متى</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/verification_dialog.py" line="41"/>
        <source>Who</source>
        <translation>مَن</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/verification_dialog.py" line="41"/>
        <source>Status</source>
        <translation>الحالة</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/verification_dialog.py" line="41"/>
        <source>Why</source>
        <translation>لماذا</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/verification_dialog.py" line="47"/>
        <source>%1 (not applied: %2)</source>
        <translation>%1 (لم يُطبَّق: %2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/verification_dialog.py" line="48"/>
        <source>as posted</source>
        <translation>كما نُشر</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/verification_dialog.py" line="55"/>
        <source>Why: the source, the check that was made</source>
        <translation>لماذا: المصدر، والتحقق الذي أُجري</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/verification_dialog.py" line="61"/>
        <source>New &amp;status:</source>
        <translation>ال&amp;حالة الجديدة:</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/verification_dialog.py" line="62"/>
        <source>&amp;Reason:</source>
        <translation>ال&amp;سبب:</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/verification_dialog.py" line="66"/>
        <source>A retracted entry keeps its status for good.</source>
        <translation>القيد المسحوب يحتفظ بحالته نهائيًا.</translation>
    </message>
    <message>
        <location filename="../../app/ui/timeline/verification_dialog.py" line="79"/>
        <source>Say why the status changes.</source>
        <translation>اذكر سبب تغيير الحالة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/dialog.py" line="45"/>
        <source>Verify %1</source>
        <translation>التحقق من %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/dialog.py" line="56"/>
        <source>&amp;Verify</source>
        <translation>&amp;تحقّق</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/dialog.py" line="57"/>
        <source>They &amp;match</source>
        <translation>&amp;متطابقة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/dialog.py" line="58"/>
        <source>They &amp;don&apos;t match</source>
        <translation>&amp;غير متطابقة</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/dialog.py" line="59"/>
        <source>&amp;Cancel</source>
        <translation>إ&amp;لغاء</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/dialog.py" line="60"/>
        <source>C&amp;lose</source>
        <translation>إ&amp;غلاق</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/dialog.py" line="100"/>
        <source>Device: %1</source>
        <translation>الجهاز: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/verification/dialog.py" line="110"/>
        <source>Or compare the numbers: %1</source>
        <translation>أو قارن الأرقام: %1</translation>
    </message>
</context>
<context>
    <name>WorkspaceView</name>
    <message>
        <location filename="../../app/ui/shell/workspace_view.py" line="111"/>
        <source>Rooms</source>
        <translation>الغرف</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/workspace_view.py" line="90"/>
        <source>&amp;Timeline</source>
        <translation>الخط ال&amp;زمني</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/workspace_view.py" line="134"/>
        <source>This session is closed: its rooms are read-only, and the record stays.</source>
        <translation>هذه الجلسة مغلقة: غرفها للقراءة فقط، والسجل محفوظ.</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/workspace_view.py" line="194"/>
        <source>Choose a room</source>
        <translation>اختر غرفة</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/workspace_view.py" line="124"/>
        <source>Timeline</source>
        <translation>الخط الزمني</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/workspace_view.py" line="184"/>
        <source>No rooms yet. Ctrl+N creates an encrypted room.</source>
        <translation>لا توجد غرف بعد. يُنشئ Ctrl+N غرفة مشفّرة.</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/workspace_view.py" line="130"/>
        <source>Write a message, Enter sends</source>
        <translation>اكتب رسالة، ويرسلها مفتاح الإدخال</translation>
    </message>
    <message>
        <location filename="../../app/ui/shell/workspace_view.py" line="148"/>
        <source>Se&amp;nd</source>
        <translation>&amp;إرسال</translation>
    </message>
</context>
</TS>
