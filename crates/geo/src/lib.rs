//! civicgrid geography: coordinate systems, grid polygons and the point-to-grid index.
