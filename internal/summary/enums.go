package summary

// The lists below are the one definition of each enumeration of the domain:
// the API's schema (and so its validation), the Bedrock tool schema and the
// documentation all take their values from here, in this order.

// DefaultFormat is the Format of a request that names none.
const DefaultFormat = FormatParagraph

// Formats lists every Format.
func Formats() []Format { return []Format{FormatParagraph, FormatBullets} }

// Sections lists every Section.
func Sections() []Section {
	return []Section{SectionKeyPoints, SectionActionItems, SectionSentiment, SectionResolution}
}

// Owners lists every Owner of an action item.
func Owners() []Owner { return []Owner{OwnerAgent, OwnerCustomer, OwnerOther} }

// Sentiments lists every Sentiment.
func Sentiments() []Sentiment {
	return []Sentiment{SentimentPositive, SentimentNeutral, SentimentNegative, SentimentMixed}
}

// Resolutions lists every Resolution.
func Resolutions() []Resolution {
	return []Resolution{ResolutionResolved, ResolutionUnresolved, ResolutionEscalated, ResolutionUnknown}
}
