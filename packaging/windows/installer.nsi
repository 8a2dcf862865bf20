; Sockdesk's Windows installer, built on Linux with NSIS (makensis) by scripts/package.sh:
;   makensis -DVERSION=0.2.0-3-gabc1234 -DNUMERIC=0.2.0 -DBUILD=123 -DGUI_EXE=path/to/sockdesk.exe
;            -DCLI_EXE=path/to/sockdesk-cli.exe -DOUTFILE=dist/sockdesk-0.2.0-setup.exe installer.nsi
; Installs for all users under Program Files: sockdesk.exe (the window, no console)
; and sockdesk-cli.exe (the command line, for cmd.exe, PowerShell and Windows
; Terminal); a Start-menu entry; optionally the folder on the PATH; .sockdesk
; workspace files opening in Sockdesk; an uninstaller in "Apps & features" that
; undoes all of it. Silent: setup.exe /S [/D=DIR]; Uninstall.exe /S.

Unicode true
!include "MUI2.nsh"
!include "x64.nsh"

!ifndef VERSION
  !error "pass -DVERSION=x.y.z (scripts/version.sh's version)"
!endif
!ifndef NUMERIC
  !error "pass -DNUMERIC=x.y.z"
!endif
!ifndef BUILD
  !define BUILD 0
!endif
!ifndef GUI_EXE
  !error "pass -DGUI_EXE=path/to/sockdesk.exe"
!endif
!ifndef CLI_EXE
  !error "pass -DCLI_EXE=path/to/sockdesk-cli.exe"
!endif
!ifndef OUTFILE
  !define OUTFILE "sockdesk-${VERSION}-setup.exe"
!endif

!define APPNAME "Sockdesk"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Sockdesk"
!define PROGID "Sockdesk.Workspace"
!define EXT ".sockdesk"
!define SHCNE_ASSOCCHANGED 0x08000000

Name "${APPNAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APPNAME}"
RequestExecutionLevel admin
SetCompressor /SOLID lzma

VIProductVersion "${NUMERIC}.${BUILD}"
VIAddVersionKey "ProductName" "${APPNAME}"
VIAddVersionKey "FileDescription" "${APPNAME} installer"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "Sockdesk developers"

!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "SimpChinese"

LangString SecAppName ${LANG_ENGLISH} "Sockdesk (window and command line)"
LangString SecAppName ${LANG_SIMPCHINESE} "Sockdesk（窗口程序和命令行）"
LangString SecPathName ${LANG_ENGLISH} "Add sockdesk-cli to the PATH"
LangString SecPathName ${LANG_SIMPCHINESE} "将 sockdesk-cli 加入 PATH"
LangString WorkspaceType ${LANG_ENGLISH} "Sockdesk workspace"
LangString WorkspaceType ${LANG_SIMPCHINESE} "Sockdesk 工作区"
LangString PathFailed ${LANG_ENGLISH} "Could not change the PATH; add $INSTDIR to it by hand."
LangString PathFailed ${LANG_SIMPCHINESE} "无法修改 PATH，请手动将 $INSTDIR 加入 PATH。"

; A 32-bit installer sees the 32-bit registry unless told otherwise; Sockdesk is a
; 64-bit program and registers itself in the 64-bit view.
Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "Sockdesk needs 64-bit Windows."
    Abort
  ${EndIf}
  SetRegView 64
  ; Upgrade in place, unless /D= chose a folder.
  ${If} $INSTDIR == "$PROGRAMFILES64\${APPNAME}"
    ReadRegStr $0 HKLM "Software\${APPNAME}" "InstallDir"
    ${If} $0 != ""
      StrCpy $INSTDIR $0
    ${EndIf}
  ${EndIf}
FunctionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

Section "!$(SecAppName)" SecApp
  SectionIn RO
  SetShellVarContext all
  SetOutPath "$INSTDIR"
  File "/oname=sockdesk.exe" "${GUI_EXE}"
  File "/oname=sockdesk-cli.exe" "${CLI_EXE}"
  WriteUninstaller "$INSTDIR\Uninstall.exe"
  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\sockdesk.exe"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\Uninstall ${APPNAME}.lnk" "$INSTDIR\Uninstall.exe"

  ; .sockdesk files (JSON workspaces) open in the window: sockdesk.exe --workspace FILE.
  WriteRegStr HKLM "Software\Classes\${EXT}" "" "${PROGID}"
  WriteRegStr HKLM "Software\Classes\${EXT}" "Content Type" "application/json"
  WriteRegStr HKLM "Software\Classes\${EXT}\OpenWithProgids" "${PROGID}" ""
  WriteRegStr HKLM "Software\Classes\${PROGID}" "" "$(WorkspaceType)"
  WriteRegStr HKLM "Software\Classes\${PROGID}\DefaultIcon" "" '"$INSTDIR\sockdesk.exe",0'
  WriteRegStr HKLM "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\sockdesk.exe" --workspace "%1"'
  System::Call 'shell32::SHChangeNotify(i ${SHCNE_ASSOCCHANGED}, i 0, p 0, p 0)'

  WriteRegStr HKLM "Software\${APPNAME}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTKEY}" "Publisher" "Sockdesk developers"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\sockdesk.exe"
  WriteRegStr HKLM "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTKEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr HKLM "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoRepair" 1
SectionEnd

; Chosen by default, so that `sockdesk-cli` works in any new terminal.
Section "$(SecPathName)" SecPath
  InitPluginsDir
  File "/oname=$PLUGINSDIR\path.ps1" "path.ps1"
  nsExec::ExecToLog 'powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File "$PLUGINSDIR\path.ps1" add "$INSTDIR"'
  Pop $0
  ${If} $0 != 0
    DetailPrint "$(PathFailed)"
    MessageBox MB_ICONEXCLAMATION "$(PathFailed)" /SD IDOK
  ${Else}
    ; Terminals started from now on see the new PATH.
    SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
  ${EndIf}
SectionEnd

Section "Uninstall"
  SetShellVarContext all
  ; Out of the PATH first, whether or not this install put it there.
  InitPluginsDir
  File "/oname=$PLUGINSDIR\path.ps1" "path.ps1"
  nsExec::ExecToLog 'powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File "$PLUGINSDIR\path.ps1" remove "$INSTDIR"'
  Pop $0
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000

  ; The file type: ours goes; .sockdesk itself only if it still points at us.
  DeleteRegKey HKLM "Software\Classes\${PROGID}"
  DeleteRegValue HKLM "Software\Classes\${EXT}\OpenWithProgids" "${PROGID}"
  ReadRegStr $0 HKLM "Software\Classes\${EXT}" ""
  ${If} $0 == "${PROGID}"
    DeleteRegKey HKLM "Software\Classes\${EXT}"
  ${EndIf}
  System::Call 'shell32::SHChangeNotify(i ${SHCNE_ASSOCCHANGED}, i 0, p 0, p 0)'

  Delete "$INSTDIR\sockdesk.exe"
  Delete "$INSTDIR\sockdesk-cli.exe"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk"
  Delete "$SMPROGRAMS\${APPNAME}\Uninstall ${APPNAME}.lnk"
  RMDir "$SMPROGRAMS\${APPNAME}"
  DeleteRegKey HKLM "${UNINSTKEY}"
  DeleteRegKey HKLM "Software\${APPNAME}"
SectionEnd
