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
)

// channelRoutes: everyone on the team sees the channels and the matrix;
// managers record and change them; admins see the feed poller's state.
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
}
