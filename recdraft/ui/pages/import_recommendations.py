"""Import recommendations: upload a Word or OpenDocument memo, check the preview item by item, import."""

from recdraft.ui.screens.import_recommendations import render

render()
