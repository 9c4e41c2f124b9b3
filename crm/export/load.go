// Package export writes contacts in the formats campaigns need (CSV, Excel
// for German locales, XLSX, vCard 4.0, Mailchimp and listmonk CSV),
// streaming: the contact graph loader (package graph) reads the whole member
// list with one ordered query per table and hands over each row as it is
// complete, and the rows are written as they come, so memory does not grow
// with the number of contacts.
package export

import "github.com/rapport-crm/rapport/graph"

// Loader reads the rows of a list of contact ids from the database.
type Loader = graph.Loader

// Row is one contact with everything a column can show.
type Row = graph.Contact

// Job is a role at an outlet.
type Job = graph.Job

// Channel is a social channel of a row.
type Channel = graph.Channel

// need says which parts of a row a format or a column reads: contact
// fields and satellite tables. The loader reads only those, so a narrow
// export moves narrow rows.
type need = graph.Need

const (
	needKind              = graph.Kind
	needFirstName         = graph.FirstName
	needLastName          = graph.LastName
	needTitle             = graph.Title
	needCity              = graph.City
	needRegion            = graph.Region
	needCountry           = graph.Country
	needStage             = graph.Stage
	needLawfulBasis       = graph.LawfulBasis
	needConsentState      = graph.ConsentState
	needOwner             = graph.Owner
	needHealth            = graph.Health
	needReach             = graph.Reach
	needDoNotContact      = graph.DoNotContact
	needConsentAt         = graph.ConsentAt
	needLastInteractionAt = graph.LastInteractionAt
	needPhones            = graph.Phones
	needEmails            = graph.Emails
	needJobs              = graph.Jobs
	needChannels          = graph.Channels
	needTopics            = graph.Topics
	needTags              = graph.Tags
	// needAll is every part a format can show (vCard), none that only the
	// search reads (bio, owner id, updated at, interactions).
	needAll = needKind | needFirstName | needLastName | needTitle | needCity | needRegion | needCountry | needStage |
		needLawfulBasis | needConsentState | needOwner | needHealth | needReach | needDoNotContact | needConsentAt |
		needLastInteractionAt | needPhones | needEmails | needJobs | needChannels | needTopics | needTags
)

// outlets lists the jobs as "Outlet (Role)", the export's outlet cell.
func outlets(jobs []Job) []string {
	out := make([]string, len(jobs))
	for i, j := range jobs {
		out[i] = j.Outlet
		if j.Role != "" {
			out[i] += " (" + j.Role + ")"
		}
	}
	return out
}
