package routes

// Route names of owned channels, feeds and their monitoring (issue 18).
const (
	OwnedChannels      = "channels"
	OwnedChannelNew    = "channel.new"
	OwnedChannelCreate = "channel.create"
	OwnedChannelEdit   = "channel.edit"
	OwnedChannelUpdate = "channel.update"
	OwnedChannelDelete = "channel.delete"
	ChannelMatrix      = "channels.matrix"
	Feeds              = "feeds"
	FeedCheck          = "feed.check"
	KeywordRules       = "keywords"
	KeywordRuleCreate  = "keyword.create"
	KeywordRuleToggle  = "keyword.toggle"
	KeywordRuleDelete  = "keyword.delete"
	KeywordAlertAccept = "keyword.alert.accept"
	ChannelFigures     = "channel.figures"
	ChannelFigureAdd   = "channel.figures.add"
	Figures            = "figures"
	FiguresExport      = "figures.export"
	FiguresImport      = "figures.import"
	FiguresImportRun   = "figures.import.run"
	// ContactChannelFigures is a contact's channel's figures page; whoever
	// may edit the contact records figures there.
	ContactChannelFigures   = "contact.channel.figures"
	ContactChannelFigureAdd = "contact.channel.figures.add"
)

// channelRoutes: everyone on the team sees the channels, the matrix and the
// figures (and downloads the weekly table); managers record and change
// channels and figures and accept alerts as coverage; admins see the feed
// poller's state. A contact's channel's figures are the contact's: whoever
// may edit the contact (staff) sees and records them.
var channelRoutes = []Route{
	{OwnedChannels, "GET", "/channels", Staff},
	{OwnedChannelNew, "GET", "/channels/new", Manager},
	{OwnedChannelCreate, "POST", "/channels", Manager},
	{OwnedChannelEdit, "GET", "/channels/:id/edit", Manager},
	{OwnedChannelUpdate, "POST", "/channels/:id", Manager},
	{OwnedChannelDelete, "POST", "/channels/:id/delete", Manager},
	{ChannelMatrix, "GET", "/channels/matrix", Staff},
	{Feeds, "GET", "/settings/feeds", Admin},
	{FeedCheck, "POST", "/settings/feeds/:id/check", Admin},
	{KeywordRules, "GET", "/settings/keywords", Manager},
	{KeywordRuleCreate, "POST", "/settings/keywords", Manager},
	{KeywordRuleToggle, "POST", "/settings/keywords/:id/active", Manager},
	{KeywordRuleDelete, "POST", "/settings/keywords/:id/delete", Manager},
	{KeywordAlertAccept, "POST", "/settings/keywords/alerts/:id/coverage", Manager},
	{ChannelFigures, "GET", "/channels/:id/figures", Staff},
	{ChannelFigureAdd, "POST", "/channels/:id/figures", Manager},
	{Figures, "GET", "/channels/figures", Staff},
	{FiguresExport, "GET", "/channels/figures.xlsx", Staff},
	{FiguresImport, "GET", "/channels/figures/import", Manager},
	{FiguresImportRun, "POST", "/channels/figures/import", Manager},
	{ContactChannelFigures, "GET", "/contacts/:id/channels/:channel/figures", Staff},
	{ContactChannelFigureAdd, "POST", "/contacts/:id/channels/:channel/figures", Staff},
}
