package routes

// Route names of notifications and the calendar feed (issue 21).
const (
	AccountNotifications  = "account.notifications"
	AccountCalendar       = "account.calendar"
	AccountCalendarRevoke = "account.calendar.revoke"
	// Unsubscribe needs no sign-in: the signed token in the link is the
	// credential. UnsubscribeOneClick is also the List-Unsubscribe-Post
	// target of RFC 8058, which mail clients call without a form token.
	Unsubscribe         = "unsubscribe"
	UnsubscribeOneClick = "unsubscribe.one_click"
	// Calendar is the iCalendar feed; its secret token is the credential.
	Calendar = "calendar"
)

var notifyRoutes = []Route{
	{AccountNotifications, "POST", "/account/notifications", Staff},
	{AccountCalendar, "POST", "/account/calendar", Staff},
	{AccountCalendarRevoke, "POST", "/account/calendar/revoke", Staff},
	{Unsubscribe, "GET", "/unsubscribe/:token", Public},
	{UnsubscribeOneClick, "POST", "/unsubscribe/:token", Public},
	{Calendar, "GET", "/calendar/:token", Public},
	{MailSettings, "GET", "/settings/mail", Admin},
	{MailSettingsSave, "POST", "/settings/mail", Admin},
}

// Route names of the admins' mail settings.
const (
	MailSettings     = "settings.mail"
	MailSettingsSave = "settings.mail.save"
)
