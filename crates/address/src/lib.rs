//! civicgrid's unified address library (统一地址库): normalising, parsing and matching Chinese addresses.
