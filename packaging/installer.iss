; Inno Setup 6 script: turns dist\DutyTracker (built by build_installer.spec) into one
; installer .exe. Per-user install, no administrator rights, no network.
;
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\installer.iss
;
; The data folder (%APPDATA%\duty_tracker) is never touched by install or uninstall.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "履职纪实"
#define SourceDir "..\dist\DutyTracker"

[Setup]
AppId={{6F1C3B52-8D0E-4C8B-9A57-2B1D5E0C7A31}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename={#AppName}-安装程序-{#AppVersion}
SetupIconFile=..\resources\icons\app.ico
UninstallDisplayIcon={app}\DutyTracker.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
DisableProgramGroupPage=yes

[Languages]
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "zh"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#else
; ChineseSimplified.isl is an unofficial Inno Setup translation: put it into Inno Setup's
; Languages folder to get a Chinese installer; without it the installer speaks English.
Name: "en"; MessagesFile: "compiler:Default.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\DutyTracker.exe"
Name: "{group}\{#AppName}（命令行）"; Filename: "{cmd}"; Parameters: "/k ""{app}\duty-tracker.exe"" --help"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\DutyTracker.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\DutyTracker.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
