; Inno Setup 6 script for 职保通. Built by `python installer/build.py` on Windows,
; which passes the version (from pyproject.toml, the single source) and the paths:
;   ISCC /DAppVersion=0.1.0 /DAppVersionNumeric=0.1.0.0 /DSourceDir=...\dist\zhibaotong
;        /DOutputDir=...\dist /DIconFile=...\resources\icons\zhibaotong.ico installer\windows\zhibaotong.iss
; Saved as UTF-8 with a BOM, which is how Inno Setup knows to read the Chinese text as UTF-8.
; Installs per user by default (no administrator rights needed on an office PC;
; the user may choose all users). The uninstaller removes the program only: the
; user's data folder %LOCALAPPDATA%\zhibaotong (databases, backups, settings,
; logs) is never touched, because no [UninstallDelete] entry names it.

#ifndef AppVersion
  #error AppVersion is not defined: build with python installer\build.py (it reads pyproject.toml)
#endif
#ifndef AppVersionNumeric
  #define AppVersionNumeric AppVersion + ".0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\zhibaotong"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#ifndef IconFile
  #define IconFile "..\..\resources\icons\zhibaotong.ico"
#endif

#define AppName "职保通"
#define AppExe "zhibaotong.exe"

[Setup]
; A fixed AppId: upgrades replace the previous version instead of installing beside it.
AppId={{6F1C2B8E-5A3D-4C7E-9B21-0E5A7D3C9F14}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=职保通
AppComments=新就业形态人员职业伤害保障试点 离线工作台
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductVersion={#AppVersionNumeric}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} 安装程序
DefaultDirName={autopf}\zhibaotong
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename=zhibaotong-{#AppVersion}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
ShowLanguageDialog=no

[Languages]
; Our own Simplified Chinese messages (ChineseSimplified.isl beside this script: the Inno Setup
; builds on npm and many others ship none, and ISCC /Q hid the warning). Chinese is the only
; language, so every page, button and message box is Chinese whatever the Windows display language.
Name: "chinesesimplified"; MessagesFile: "ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
; The whole one-folder bundle; the old _internal is replaced on upgrade.
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
; Start menu (per user: %APPDATA%\Microsoft\Windows\Start Menu\Programs\职保通\): Chinese names only.
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{group}\{#AppName}（演示数据）"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section: the uninstaller removes only what [Files] installed.
; %LOCALAPPDATA%\zhibaotong (the databases and their backups) stays where it is.
