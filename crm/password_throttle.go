package crm

import "strconv"

// ThrottlePassword is how many wrong current passwords a signed-in user may
// enter within ThrottleWindow before the password change waits: each costs a
// hash of 19 MiB, and a stolen session must not guess the password at leisure.
const ThrottlePassword = ThrottlePair

const msgPasswordThrottled = "Too many wrong passwords. Try again later, or ask an admin to reset your password."

// passwordKey is the login throttle's key of user id's password changes.
func passwordKey(id int) string { return "pw:" + strconv.Itoa(id) }
