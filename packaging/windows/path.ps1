# Adds a folder to the machine's PATH, or takes it out; the installer and the
# uninstaller run it (as administrator) for the folder holding sockdesk-cli.exe:
#   powershell -NoProfile -ExecutionPolicy Bypass -File path.ps1 add|remove DIR
# PowerShell rather than NSIS string code: NSIS strings hold 1024 characters, and a
# longer PATH read, changed and written back that way would lose its tail.
param(
    [Parameter(Mandatory)][ValidateSet('add', 'remove')][string]$Action,
    [Parameter(Mandatory)][string]$Dir
)
$ErrorActionPreference = 'Stop'
$key = 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\Environment'
# The raw value: entries such as %SystemRoot%\system32 must stay unexpanded.
$raw = (Get-Item -Path $key).GetValue('Path', '', 'DoNotExpandEnvironmentNames')
$entries = @(if ($raw) { $raw -split ';' })
$want = $Dir.TrimEnd('\')
# -ne compares without regard to case, as Windows paths are.
$others = @($entries | Where-Object { $_.TrimEnd('\') -ne $want })
if ($Action -eq 'add') {
    if ($others.Count -lt $entries.Count) { exit 0 } # already there
    $new = if ($raw) { $raw.TrimEnd(';') + ';' + $Dir } else { $Dir }
} else {
    if ($others.Count -eq $entries.Count) { exit 0 } # not there
    $new = $others -join ';'
}
Set-ItemProperty -Path $key -Name Path -Value $new -Type ExpandString
