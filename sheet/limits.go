package sheet

// Limits on what an import reads, all in one place. A spreadsheet is small
// on the wire and may be huge inside: a 0,4 MB .xlsx can unpack to 400 MB,
// a 1 MB one can hold 25 million shared strings. So an .xlsx is read once,
// part by part, counting while it is unpacked (the sizes its zip directory
// declares are checked too, but not trusted), and refused at the first limit
// it passes, before excelize opens it; a .csv is counted as its rows are
// read. Each limit is far above what a unit's real sheet holds — our own
// export of 100.000 activities passes every one of them — and low enough
// that an import stays within about 100 MB of memory whatever the file.
const (
	// MaxFileSize bounds the file as uploaded.
	MaxFileSize = 50 << 20

	// MaxRows bounds the rows of a worksheet or a .csv file: two and a half
	// times the 100.000 rows the import benchmark reads. Each row costs the
	// import time (about 5.000–15.000 rows a second) and an 8-byte key.
	MaxRows = 250_000

	// MaxCellsPerRow is Excel's own last column (XFD).
	MaxCellsPerRow = 16_384

	// MaxCells bounds the cells of a worksheet: 40 a row at MaxRows (the
	// activity sheet has about 20 columns; spreadsheets also write cells
	// that only carry a format).
	MaxCells = MaxRows * 40

	// MaxRowBytes bounds one row: its XML together with the shared strings
	// it uses (or a .csv record). A row is read whole; an Excel cell holds
	// at most 32.767 characters, so a row of 2 MB is already many times a
	// real one, while 16.384 cells each naming a long shared string would
	// be gigabytes.
	MaxRowBytes = 2 << 20

	// MaxSharedStrings bounds the shared strings table, which excelize
	// indexes as a whole before it gives the first cell (about 40 bytes of
	// memory a string): four distinct texts a row at MaxRows.
	MaxSharedStrings = 1_000_000

	// MaxSharedText bounds the length of all shared strings together.
	MaxSharedText = 64 << 20

	// MaxPartSize bounds one worksheet or the shared strings table, unpacked.
	// excelize copies a part this large to a temporary file and streams it.
	// Our export takes about 1,15 KB a row (112,5 MB for 100.000 activities):
	// MaxRows of it fit.
	MaxPartSize = 384 << 20

	// maxUnpacked bounds all parts of a workbook together, unpacked.
	maxUnpacked = 512 << 20

	// maxHeldParts bounds the other parts together (workbook, styles,
	// drawings, images…): excelize holds them in memory.
	maxHeldParts = 32 << 20

	// maxToken bounds one XML token (a tag, or the text between two tags)
	// while a part is checked: encoding/xml holds a token whole.
	maxToken = 1 << 20

	// maxXMLInMemory is the size above which excelize streams a worksheet
	// or the shared strings from a temporary file rather than parsing it in
	// memory (its UnzipXMLSizeLimit): parsed whole, a shared string costs it
	// some 170 bytes, indexed on disk some 40.
	maxXMLInMemory = 1 << 20

	// metaRows is how many rows of the template's hidden sheet are read for
	// what it records (its first few; below them are the drop-down lists).
	metaRows = 50
)
