// Package payload turns what a person types into the bytes to send: plain text in
// a charset, text with escapes (\r \n \t \\ \0 \xNN), or hex in the forms people
// paste; and templates with placeholders ({counter}, {time}, {unix}, {unixms},
// {hex:..}, a regular expression's groups in auto-replies, named variables in
// sequences) filled in per message without parsing again. Bad input is an error
// with the position of the first offending character.
package payload
