package image

import (
	"io"
	"sort"

	"github.com/dop251/goja/unistring"
	"github.com/stasisvm/stasis/image/format"
)

// The byte format lives in image/format. The walker and the loader use its
// codes on nearly every line, so they keep short local names for them here.

type (
	payload        = format.Payload
	objectsSection = format.Objects
	rootsSection   = format.Roots
	scriptRecord   = format.Script
	pluginRecord   = format.Plugin
	objKind        = format.Kind
)

// Meta is an image's metadata (see format.Meta).
type Meta = format.Meta

// Header is an image's fixed header (see format.Header).
type Header = format.Header

// PluginInfo names a native plugin an image needs (see format.PluginInfo).
type PluginInfo = format.PluginInfo

// FormatError is an image that cannot be read (see format.Error).
type FormatError = format.Error

// Limits bound what a load accepts from an image (see format.Limits).
type Limits = format.Limits

// Sentinel errors, for errors.Is on what Load and ReadContainer return; they
// are format's own, so either package's name matches.
var (
	ErrNotImage     = format.ErrNotImage
	ErrTruncated    = format.ErrTruncated
	ErrCorrupt      = format.ErrCorrupt
	ErrNewerVersion = format.ErrNewerVersion
	ErrLimit        = format.ErrLimit
)

const (
	tagObject  = format.TagObject
	tagString  = format.TagString
	tagInt     = format.TagInt
	tagNegInt  = format.TagNegInt
	tagFloat   = format.TagFloat
	tagSymbol  = format.TagSymbol
	tagSpecial = format.TagSpecial
	tagBigInt  = format.TagBigInt

	specialNone      = format.SpecialNone
	specialUndefined = format.SpecialUndefined
	specialNull      = format.SpecialNull
	specialFalse     = format.SpecialFalse
	specialTrue      = format.SpecialTrue

	codeNone         = format.CodeNone
	codeUndefined    = format.CodeUndefined
	codeElemProperty = format.CodeElemProperty

	attrWritable     = format.AttrWritable
	attrEnumerable   = format.AttrEnumerable
	attrConfigurable = format.AttrConfigurable
	attrAccessor     = format.AttrAccessor
	attrPlain        = format.AttrPlain
	attrInterior     = format.AttrInterior
	attrMapped       = format.AttrMapped

	flagNotExtensible = format.FlagNotExtensible
	flagSymbols       = format.FlagSymbols
	flagPrivate       = format.FlagPrivate

	patchDefine        = format.PatchDefine
	patchDelete        = format.PatchDelete
	patchProto         = format.PatchProto
	patchNonExtensible = format.PatchNonExtensible
)

const (
	okIntrinsic         = format.KindIntrinsic
	okOrdinary          = format.KindOrdinary
	okArray             = format.KindArray
	okFunction          = format.KindFunction
	okGeneratorFunction = format.KindGeneratorFunction
	okAsyncFunction     = format.KindAsyncFunction
	okClass             = format.KindClass
	okMethod            = format.KindMethod
	okGeneratorMethod   = format.KindGeneratorMethod
	okAsyncMethod       = format.KindAsyncMethod
	okArrow             = format.KindArrow
	okAsyncArrow        = format.KindAsyncArrow
	okMap               = format.KindMap
	okSet               = format.KindSet
	okDate              = format.KindDate
	okRegExp            = format.KindRegExp
	okError             = format.KindError
	okArrayBuffer       = format.KindArrayBuffer
	okTypedArray        = format.KindTypedArray
	okDataView          = format.KindDataView
	okPrimitive         = format.KindPrimitive
	okStringObject      = format.KindStringObject
	okSparseArray       = format.KindSparseArray
	okNative            = format.KindNative
	okBound             = format.KindBound
	okProxy             = format.KindProxy
	okWeakMap           = format.KindWeakMap
	okWeakSet           = format.KindWeakSet
	okPromise           = format.KindPromise
	okArguments         = format.KindArguments
	okGenerator         = format.KindGenerator
	okResolver          = format.KindResolver
	okRevoke            = format.KindRevoke
	okIterator          = format.KindIterator
	numObjKinds         = format.NumKinds
)

func code(tag, n uint64) uint64 { return format.Code(tag, n) }

func zigzag(i int64) uint64 { return format.Zigzag(i) }

func unzigzag(u uint64) int64 { return format.Unzigzag(u) }

func sortUnistrings(s []unistring.String) {
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
}

// ReadContainer reads a whole image with the default limits, verifies it
// and returns its metadata and the unpacked payload (see format.Read).
func ReadContainer(r io.Reader) (*Meta, []byte, error) { return format.Read(r, format.Limits{}) }
