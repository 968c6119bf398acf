; Inno Setup script for the Windows workstation installer. NOT BUILT HERE (see
; installer/pyinstaller/oor.spec): run on Windows after PyInstaller produced dist\oor\
;   iscc installer\windows\open-operations-room.iss
; The .ico is made from installer/debian/open-operations-room.svg at build time.
#define AppVersion "0.1.0"

[Setup]
AppId={{6C0F5E34-1F7B-4E9A-9B39-0A0D0C5E2F11}
AppName=Open Operations Room
AppVersion={#AppVersion}
DefaultDirName={autopf}\Open Operations Room
DefaultGroupName=Open Operations Room
OutputBaseFilename=open-operations-room-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequiredOverridesAllowed=dialog

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "ar"; MessagesFile: "compiler:Languages\Arabic.isl"

[CustomMessages]
en.AppTitle=Open Operations Room
ar.AppTitle=غرفة العمليات المفتوحة

[Files]
Source: "..\..\dist\oor\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\{cm:AppTitle}"; Filename: "{app}\oor.exe"
Name: "{autodesktop}\{cm:AppTitle}"; Filename: "{app}\oor.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"

[Run]
Filename: "{app}\oor.exe"; Description: "{cm:LaunchProgram,{cm:AppTitle}}"; Flags: nowait postinstall skipifsilent
