<!-- desk.js -->
