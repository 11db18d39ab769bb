/* A file input fires nothing when the file it holds is chosen again. Once the server has
   read a reporting file, the input is emptied, so that the same file, corrected and saved
   under the same name, is read again when it is chosen. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    uploads: {
        clear: function (_kept, uploadId) {
            var input = document.querySelector('#' + uploadId + ' input[type=file]');
            if (input) { input.value = ''; }
            return window.dash_clientside.no_update;
        }
    }
});
