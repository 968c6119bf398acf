<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name></name>
    <message numerus="yes">
        <location filename="../../app/ui/timeline/fold.py" line="49"/>
        <source>%n changes to the room</source>
        <translation>
            <numerusform>%n change to the room</numerusform>
            <numerusform>%n changes to the room</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/timeline/fold.py" line="53"/>
        <source>%n joined</source>
        <translation>
            <numerusform>%n joined</numerusform>
            <numerusform>%n joined</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/timeline/fold.py" line="54"/>
        <source>%n invited</source>
        <translation>
            <numerusform>%n invited</numerusform>
            <numerusform>%n invited</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/timeline/fold.py" line="55"/>
        <source>%n roles assigned</source>
        <translation>
            <numerusform>%n role assigned</numerusform>
            <numerusform>%n roles assigned</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/timeline/fold.py" line="86"/>
        <source>%n updates</source>
        <translation>
            <numerusform>%n update</numerusform>
            <numerusform>%n updates</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/shell/quit_warning.py" line="26"/>
        <source>%n messages are still waiting to send. They will be sent next time you open the app.</source>
        <translation>
            <numerusform>%n message is still waiting to send. It will be sent next time you open the app.</numerusform>
            <numerusform>%n messages are still waiting to send. They will be sent next time you open the app.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AttentionButton</name>
    <message numerus="yes">
        <location filename="../../app/ui/instructions/attention.py" line="102"/>
        <source>%n need attention</source>
        <translation>
            <numerusform>%n needs attention</numerusform>
            <numerusform>%n need attention</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ChartsController</name>
    <message numerus="yes">
        <location filename="../../app/ui/charts/controller.py" line="111"/>
        <source>%n values sent.</source>
        <translation>
            <numerusform>%n value sent.</numerusform>
            <numerusform>%n values sent.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConnectionBar</name>
    <message numerus="yes">
        <location filename="../../app/ui/shell/connection_bar.py" line="71"/>
        <source>Connection lost — %n waiting to send.</source>
        <translation>
            <numerusform>Connection lost — %n message waiting to send.</numerusform>
            <numerusform>Connection lost — %n messages waiting to send.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/shell/connection_bar.py" line="79"/>
        <source>Reconnecting… %n waiting to send.</source>
        <translation>
            <numerusform>Reconnecting… %n message waiting to send.</numerusform>
            <numerusform>Reconnecting… %n messages waiting to send.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CsvImportDialog</name>
    <message numerus="yes">
        <location filename="../../app/ui/charts/dialogs.py" line="243"/>
        <source>%n rows will be published;</source>
        <translation>
            <numerusform>%n row will be published;</numerusform>
            <numerusform>%n rows will be published;</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/charts/dialogs.py" line="244"/>
        <source>%n rows are refused.</source>
        <translation>
            <numerusform>%n row is refused.</numerusform>
            <numerusform>%n rows are refused.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ExerciseBar</name>
    <message numerus="yes">
        <location filename="../../app/ui/exercise/bar.py" line="128"/>
        <source>%1 of %n injects</source>
        <translation>
            <numerusform>%1 of %n inject</numerusform>
            <numerusform>%1 of %n injects</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/exercise/bar.py" line="130"/>
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform>
            <numerusform>%n failed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/exercise/bar.py" line="200"/>
        <source>%n notes so far</source>
        <translation>
            <numerusform>%n note so far</numerusform>
            <numerusform>%n notes so far</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>InstructionsModel</name>
    <message numerus="yes">
        <location filename="../../app/ui/instructions/model.py" line="159"/>
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>InstructionsPage</name>
    <message numerus="yes">
        <location filename="../../app/ui/instructions/view.py" line="210"/>
        <source>%n instruction messages cannot be read on this device.</source>
        <translation>
            <numerusform>%n instruction message cannot be read on this device.</numerusform>
            <numerusform>%n instruction messages cannot be read on this device.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message numerus="yes">
        <location filename="../../app/ui/overview/page.py" line="215"/>
        <source>%1 of %n participants have joined</source>
        <translation>
            <numerusform>%1 of %n participant has joined</numerusform>
            <numerusform>%1 of %n participants have joined</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PinnedBar</name>
    <message numerus="yes">
        <location filename="../../app/ui/timeline/pinned_bar.py" line="64"/>
        <source>%n pinned messages</source>
        <translation>
            <numerusform>%n pinned message</numerusform>
            <numerusform>%n pinned messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RecordsController</name>
    <message numerus="yes">
        <location filename="../../app/ui/records/controller.py" line="76"/>
        <source>Sealed the record of %n rooms.</source>
        <translation>
            <numerusform>Sealed the record of %n room.</numerusform>
            <numerusform>Sealed the record of %n rooms.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/records/controller.py" line="110"/>
        <source>Exported %n events to %1.</source>
        <translation>
            <numerusform>Exported %n event to %1.</numerusform>
            <numerusform>Exported %n events to %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TimelineSearch</name>
    <message numerus="yes">
        <location filename="../../app/ui/timeline/search.py" line="138"/>
        <source>The newest %n results; narrow the search for older ones</source>
        <translation>
            <numerusform>The newest %n result; narrow the search for older ones</numerusform>
            <numerusform>The newest %n results; narrow the search for older ones</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/timeline/search.py" line="141"/>
        <source>%n results</source>
        <translation>
            <numerusform>%n result</numerusform>
            <numerusform>%n results</numerusform>
        </translation>
    </message>
</context>
</TS>
