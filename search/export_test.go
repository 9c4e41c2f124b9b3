package search

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// WriteOldIndex makes an index of an older mapping version the current one
// in dir: a contact's reach as a bleve number, as version 15 had it (a
// field the mapper refuses), and that version's stamp.
func WriteOldIndex(dir string) (string, error) {
	st := Store{Dir: dir}
	gen, err := st.newGeneration()
	if err != nil {
		return "", err
	}
	m, err := NewMapping()
	if err != nil {
		return "", err
	}
	m.DefaultMapping.AddFieldMappingsAt("reach", bleve.NewNumericFieldMapping())
	b, err := bleve.NewUsing(st.Path(gen), m, scorch.Name, bleve.Config.DefaultKVStore, nil)
	if err != nil {
		return "", err
	}
	err = b.Index("1", map[string]any{FieldName: "Alt", "reach": 5.0})
	if err == nil {
		err = b.SetInternal(keyVersion, []byte("15"))
	}
	if err == nil {
		err = b.SetInternal(keyPosition, []byte("0"))
	}
	if cerr := b.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	return gen, st.setCurrent(gen)
}
